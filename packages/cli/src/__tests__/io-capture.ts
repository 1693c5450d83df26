import type { Io } from '../cli-io';

/** An in-memory Io for `run(argv, { io })`: what the command printed, with a fixed clock that tests can move. */
export function captureIo(
  cwd: string,
  env: Record<string, string> = {},
  start = '2026-11-20T02:00:00.000Z',
): Io & { out: string; err: string; clear(): void; advance(ms: number): void } {
  let t = Date.parse(start);
  const io = {
    out: '',
    err: '',
    stdout: (s: string) => void (io.out += s),
    stderr: (s: string) => void (io.err += s),
    isTty: false,
    isErrTty: false,
    env: { NO_COLOR: '1', ...env },
    cwd,
    now: () => new Date(t),
    clear() {
      io.out = '';
      io.err = '';
    },
    advance(ms: number) {
      t += ms;
    },
  };
  return io;
}
