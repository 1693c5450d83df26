// Completes package-lock.json with the other platforms' optional binaries (rollup, turbo, esbuild,
// ...). npm omits the records of platform packages it does not install here, and then `npm ci`
// refuses the lock ("Missing: @rollup/rollup-darwin-arm64@ from lock file"; npm/cli#4828, #8320).
// Each record gets the version the parent pins and its os / cpu / libc, so npm skips it on every
// other platform without fetching it. os/cpu/libc come from the registry when it answers, else from
// the package's platform-naming convention. Run after `npm install`: `node scripts/complete-lockfile.mjs`.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

const lock = JSON.parse(readFileSync('package-lock.json', 'utf8'));
const pkgs = lock.packages;

const OS = {
  android: 'android',
  darwin: 'darwin',
  freebsd: 'freebsd',
  linux: 'linux',
  openbsd: 'openbsd',
  netbsd: 'netbsd',
  sunos: 'sunos',
  aix: 'aix',
  win32: 'win32',
  windows: 'win32',
  openharmony: 'openharmony',
};
const CPU = {
  arm: 'arm',
  'arm-eabi': 'arm',
  arm64: 'arm64',
  x64: 'x64',
  64: 'x64',
  ia32: 'ia32',
  loong64: 'loong64',
  ppc64: 'ppc64',
  riscv64: 'riscv64',
  s390x: 's390x',
  mips64el: 'mips64el',
};

function fromName(name) {
  const base = name.split('/').pop();
  const parts = base.split('-');
  const osIndex = parts.findIndex((p) => p in OS);
  if (osIndex < 0) return null;
  const rest = parts.slice(osIndex + 1);
  const cpu = CPU[rest.slice(0, 2).join('-')] ? CPU[rest.slice(0, 2).join('-')] : CPU[rest[0]];
  if (!cpu) return null;
  const out = { os: [OS[parts[osIndex]]], cpu: [cpu] };
  if (rest.some((r) => r.startsWith('musl'))) out.libc = ['musl'];
  else if (rest.some((r) => r.startsWith('gnu')) && OS[parts[osIndex]] === 'linux') out.libc = ['glibc'];
  return out;
}

function fromRegistry(name, version) {
  try {
    const json = execFileSync('npm', ['view', `${name}@${version}`, 'os', 'cpu', 'libc', '--json'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const v = JSON.parse(json || '{}');
    if (v.os || v.cpu)
      return { ...(v.os ? { os: v.os } : {}), ...(v.cpu ? { cpu: v.cpu } : {}), ...(v.libc ? { libc: v.libc } : {}) };
  } catch {
    /* not served here: fall back to the name */
  }
  return null;
}

let added = 0;
for (const [path, meta] of Object.entries(pkgs)) {
  for (const [dep, range] of Object.entries(meta.optionalDependencies ?? {})) {
    const at = `${path ? `${path}/` : ''}node_modules/${dep}`;
    const hoisted = `node_modules/${dep}`;
    if (pkgs[at] || pkgs[hoisted]) continue;
    const version = range.replace(/^[\^~=]/, '');
    const platform = fromRegistry(dep, version) ?? fromName(dep);
    if (!platform) {
      console.warn(`skipped ${dep}@${range}: cannot tell its platform`);
      continue;
    }
    pkgs[hoisted] = { version, ...(meta.dev ? { dev: true } : {}), optional: true, ...platform };
    added++;
  }
}
lock.packages = Object.fromEntries(
  Object.entries(pkgs).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a < b ? -1 : a > b ? 1 : 0)),
);
writeFileSync('package-lock.json', `${JSON.stringify(lock, null, 2)}\n`);
console.log(`package-lock.json: ${added} platform package record(s) added`);
