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
process.on('SIGINT', () => {
  // First Ctrl-C aborts the read cleanly through the AbortSignal; a second one exits at once.
  if (interrupted) process.exit(130);
  interrupted = true;
  controller.abort(new Error('interrupted'));
});

run(process.argv.slice(2), { abortSignal: controller.signal }).then(
  (code) => {
    // Interrupted: 130 (128 + SIGINT) whatever the read made of the abort, so scripts can tell.
    process.exitCode = interrupted ? 130 : code;
  },
  (error: unknown) => {
    process.stderr.write(`claude-idp: internal error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 70;
  },
);
