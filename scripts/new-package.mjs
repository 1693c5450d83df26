// Writes the publishable-package boilerplate for one workspace package (used once per package;
// kept so a new adapter package starts from the same shape).
import { mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const [name, description, testing = 'yes'] = process.argv.slice(2);
const dir = join('packages', name);
mkdirSync(join(dir, 'src'), { recursive: true });
const entry = (sub) => ({
  import: { types: `./dist/${sub}.d.ts`, default: `./dist/${sub}.js` },
  require: { types: `./dist/${sub}.d.cts`, default: `./dist/${sub}.cjs` },
});
const pkg = {
  name: `@claude-idp/${name}`,
  version: '0.1.0',
  description,
  license: 'MIT',
  type: 'module',
  sideEffects: false,
  engines: { node: '>=20.19' },
  main: './dist/index.cjs',
  module: './dist/index.js',
  types: './dist/index.d.cts',
  exports: {
    '.': entry('index'),
    ...(testing === 'yes' ? { './testing': entry('testing') } : {}),
    './package.json': './package.json',
  },
  files: ['dist', 'README.md'],
  repository: { type: 'git', url: 'git+https://github.com/claude-idp/claude-idp.git', directory: dir },
  publishConfig: { access: 'public' },
  scripts: {
    build: 'tsup',
    test: 'vitest run',
    typecheck: 'tsc --noEmit',
    lint: 'tsc --noEmit -p tsconfig.json',
    'check:package': 'publint --strict && attw --pack . --profile node16',
  },
};
writeFileSync(join(dir, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
writeFileSync(
  join(dir, 'tsconfig.json'),
  `${JSON.stringify(
    { extends: '../../tsconfig.base.json', include: ['src', 'tsup.config.ts', 'vitest.config.ts'] },
    null,
    2,
  )}\n`,
);
// The build and test set-ups are shared (tsup.shared.ts, vitest.shared.ts); a package names its entries.
writeFileSync(
  join(dir, 'tsup.config.ts'),
  `import { packageBuild } from '../../tsup.shared';\n\nexport default packageBuild({ index: 'src/index.ts'${testing === 'yes' ? ", testing: 'src/testing/index.ts'" : ''} });\n`,
);
writeFileSync(
  join(dir, 'vitest.config.ts'),
  "import { packageTests } from '../../vitest.shared';\n\nexport default packageTests;\n",
);
if (!existsSync(join(dir, 'src/index.ts'))) writeFileSync(join(dir, 'src/index.ts'), 'export {};\n');
if (testing === 'yes') {
  mkdirSync(join(dir, 'src/testing'), { recursive: true });
  if (!existsSync(join(dir, 'src/testing/index.ts'))) writeFileSync(join(dir, 'src/testing/index.ts'), 'export {};\n');
}
console.log('wrote', dir);
