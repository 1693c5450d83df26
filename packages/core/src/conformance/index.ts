export { runAdapterConformance, type ConformanceArgs, type AdapterTestOptions } from './run-adapter-conformance';
export {
  runFaultMatrix,
  defaultFaultCases,
  liveWindowHeaders,
  type FaultCase,
  type FaultOutcome,
} from './run-fault-matrix';
export { viewOfSnapshot, expectedView, type CanonicalView, type ViewOptions } from './canonical-view';
