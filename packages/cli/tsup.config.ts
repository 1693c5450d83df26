import { packageBuild } from '../../tsup.shared';

export default [
  packageBuild({ index: 'src/index.ts' }),
  // The executable: ESM only, with its shebang (tsup marks it executable).
  packageBuild({ bin: 'src/bin.ts' }, { format: ['esm'], dts: false, clean: false }),
];
