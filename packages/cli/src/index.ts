/**
 * The claude-idp command as a library: `run(argv)` returns the exit code, with IO injectable for
 * embedding and tests. The executable is `claude-idp` (dist/bin.js).
 */
export { run, type RunContext } from './cli-program';
export { EXIT, describeError } from './cli-exit';
export type { Io } from './cli-io';
export { demoConnection as connectToFake, liveAdapter, type LiveIdp } from './cli-adapters';
export {
  renderHtml,
  renderJunit,
  renderMarkdown,
  renderText,
  type OutputBundle,
  type OrgAccessSummary,
  type Format,
} from './format';
