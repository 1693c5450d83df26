import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { BIN } from '../__tests__/run-bin';

// Runs `claude-idp watch` (the built binary) as a child process for end-to-end tests and the
// benchmark: its stdout collected, waits on log lines, its listener's URL, a graceful stop.

export interface WatchProcess {
  child: ChildProcess;
  /** Everything printed so far (stdout and stderr). */
  readonly output: string;
  /** Resolves when the output matches (the whole output so far). */
  waitFor(re: RegExp, ms?: number): Promise<RegExpMatchArray>;
  /** The listener's URL, once it listens. */
  url(): Promise<string>;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>;
  readonly exited: Promise<number | null>;
}

export function spawnWatch(args: string[], options: { cwd: string; env: Record<string, string> }): WatchProcess {
  if (!existsSync(BIN)) throw new Error(`build the CLI first: ${BIN} is missing (npm run build)`);
  const child = spawn(process.execPath, [BIN, 'watch', ...args], {
    cwd: options.cwd,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', NO_COLOR: '1', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const listeners = new Set<() => void>();
  const on = (d: Buffer) => {
    output += d;
    for (const l of listeners) l();
  };
  child.stdout!.on('data', on);
  child.stderr!.on('data', on);
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const waitFor = (re: RegExp, ms = 30_000) =>
    new Promise<RegExpMatchArray>((resolve, reject) => {
      const check = () => {
        const m = output.match(re);
        if (m) {
          listeners.delete(check);
          clearTimeout(timer);
          resolve(m);
        }
      };
      const timer = setTimeout(() => {
        listeners.delete(check);
        reject(new Error(`timed out waiting for ${re}; output:\n${output}`));
      }, ms);
      void exited.then(() => {
        if (listeners.has(check)) {
          listeners.delete(check);
          clearTimeout(timer);
          reject(new Error(`watch exited before ${re}; output:\n${output}`));
        }
      });
      listeners.add(check);
      check();
    });
  return {
    child,
    get output() {
      return output;
    },
    waitFor,
    url: async () => (await waitFor(/listening on (http:\/\/[^\s]+)/))[1]!,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
    exited,
  };
}
