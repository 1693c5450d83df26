#!/usr/bin/env node
import { run } from './cli-program';

// A closed stdout (`claude-idp demo | head -1`) ends the run quietly with exit 0, as `cat` does:
// the reader has all it wanted. Other stream errors are reported once, without a stack.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  process.stderr.write(`claude-idp: cannot write the output: ${error.message}\n`);
  process.exit(70);
});
// Nowhere left to report a closed stderr; the exit code still tells.
process.stderr.on('error', () => {});

const controller = new AbortController();
let interrupted = false;
// A long-running command's graceful stop (`watch`): the first SIGTERM or Ctrl-C calls it.
let graceful: (() => void) | null = null;
let stopping = false;
const onTerm = () => {
  if (stopping) process.exit(143);
  stopping = true;
  graceful?.();
};
process.on('SIGINT', () => {
  if (graceful && !stopping) {
    stopping = true;
    graceful();
    return;
  }
  // First Ctrl-C aborts the read cleanly through the AbortSignal; a second one exits at once.
  if (interrupted) process.exit(130);
  interrupted = true;
  controller.abort(new Error('interrupted'));
});
const onStop = (handler: () => void) => {
  graceful = handler;
  process.on('SIGTERM', onTerm); // only while registered: otherwise SIGTERM ends the process as usual
  return () => {
    graceful = null;
    process.off('SIGTERM', onTerm);
  };
};

run(process.argv.slice(2), { abortSignal: controller.signal, onStop }).then(
  (code) => {
    // Interrupted: 130 (128 + SIGINT) whatever the read made of the abort, so scripts can tell.
    process.exitCode = interrupted ? 130 : code;
  },
  (error: unknown) => {
    process.stderr.write(`claude-idp: internal error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 70;
  },
);
