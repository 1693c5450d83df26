#!/usr/bin/env node
// The `claude-idp` executable. This small file is committed (the build writes dist/), so that
// `npm ci` in the repository links the command before anything is built.
import('../dist/bin.js').catch((error) => {
  if (error?.code === 'ERR_MODULE_NOT_FOUND' && /dist[\\/]bin\.js/.test(String(error.message))) {
    process.stderr.write(
      'claude-idp: not built yet: run `npm run build` (or `npm run demo`) in the repository first\n',
    );
    process.exit(70);
  }
  throw error;
});
