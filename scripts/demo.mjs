// `npm run demo [-- --idp entra ...]`: builds the CLI and what it needs (turbo: cached after the
// first run), then runs `claude-idp demo` with the arguments given. Says it is building first, as
// the first build takes a minute or two and turbo prints nothing until it is done.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = fileURLToPath(new URL('../packages/cli/dist/bin.js', import.meta.url));
console.log(
  existsSync(bin)
    ? 'Building claude-idp if anything changed (turbo; cached runs take a few seconds)...'
    : 'Building claude-idp and its packages for the first time (turbo; this takes a minute or two, later runs are cached)...',
);
const build = spawnSync('turbo', ['run', 'build', '--filter=@claude-idp/cli...', '--output-logs=errors-only'], {
  cwd: root,
  stdio: 'inherit',
  shell: process.platform === 'win32',
});
if (build.error) {
  console.error(`could not run turbo: ${build.error.message} (run \`npm ci\` first)`);
  process.exit(1);
}
if (build.status !== 0) process.exit(build.status ?? 1);
const demo = spawnSync(process.execPath, [bin, 'demo', ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(demo.status ?? 1);
