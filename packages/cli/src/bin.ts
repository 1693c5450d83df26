#!/usr/bin/env node
import { run } from './cli-program';

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
