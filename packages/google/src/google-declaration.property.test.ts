import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError } from '@claude-idp/core';
import { loadGoogleDeclaration } from './google-declaration';

// Arbitrary text as a declaration file: a valid declaration or a typed InputError, nothing else.
describe('loadGoogleDeclaration on arbitrary input', () => {
  it('never throws anything but InputError', () => {
    const docs = fc.oneof(
      fc.string({ maxLength: 200 }).map((s) => `\n${s}`),
      fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify({ apps: [v] })),
      fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
    );
    fc.assert(
      fc.property(docs, (text) => {
        try {
          loadGoogleDeclaration(text);
        } catch (error) {
          if (!InputError.isInstance(error)) throw new Error(`not a typed error: ${String(error)}`, { cause: error });
          expect(error.message).not.toMatch(/\n\s+at /);
        }
      }),
      { numRuns: 300 },
    );
  });
});
