import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ProgressEvent } from '@claude-idp/core';

export interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** stdout is a terminal (colours, aligned tables). */
  isTty: boolean;
  /** stderr is a terminal (progress lines). */
  isErrTty: boolean;
  env: NodeJS.ProcessEnv;
  cwd: string;
  now: () => Date;
}

export function processIo(): Io {
  return {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    isTty: Boolean(process.stdout.isTTY),
    isErrTty: Boolean(process.stderr.isTTY),
    env: process.env,
    cwd: process.cwd(),
    now: () => new Date(),
  };
}

/** Colour only on a TTY, never with NO_COLOR (https://no-color.org), always with FORCE_COLOR=1. */
export function useColor(io: Io): boolean {
  if (io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== '') return false;
  if (io.env.FORCE_COLOR === '0') return false;
  if (io.env.FORCE_COLOR) return true;
  return io.isTty;
}

export interface Paint {
  red(s: string): string;
  yellow(s: string): string;
  blue(s: string): string;
  green(s: string): string;
  dim(s: string): string;
  bold(s: string): string;
}

export function paint(enabled: boolean): Paint {
  const wrap = (open: number, close: number) => (s: string) => (enabled ? `\u001b[${open}m${s}\u001b[${close}m` : s);
  return { red: wrap(31, 39), yellow: wrap(33, 39), blue: wrap(34, 39), green: wrap(32, 39), dim: wrap(2, 22), bold: wrap(1, 22) };
}

/** Writes to `--out` (creating folders) or to stdout. */
export function emit(io: Io, text: string, out?: string): void {
  const body = text.endsWith('\n') ? text : `${text}\n`;
  if (out) {
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, body);
  } else {
    io.stdout(body);
  }
}

/**
 * Progress of a live read on stderr: one line rewritten in place, only on a TTY and never with
 * --quiet, so stdout stays clean for JSON and pipes.
 */
export function progressReporter(io: Io, quiet: boolean): { onProgress?: (e: ProgressEvent) => void; done: () => void } {
  if (quiet || !io.isErrTty) return { done: () => {} };
  let pages = 0;
  let last = '';
  const people = new Map<string, number>();
  return {
    onProgress(e) {
      if (e.type === 'page') {
        pages++;
        people.set(e.resource, e.total);
        const total = [...people.entries()].filter(([r]) => /user|member/i.test(r)).reduce((a, [, n]) => a + n, 0);
        last = `reading ${e.resource}: ${e.total} so far (${pages} pages, ${total} people/members seen)`;
      } else if (e.type === 'throttle' || e.type === 'retry') {
        last = `${e.type === 'throttle' ? 'rate-limited' : 'retrying'} ${e.resource}: waiting ${Math.round(e.delayMs / 100) / 10}s`;
      } else return;
      io.stderr(`\r\u001b[2K${last.slice(0, 120)}`);
    },
    done() {
      if (last) io.stderr('\r\u001b[2K');
    },
  };
}
