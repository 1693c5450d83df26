import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError } from '@claude-idp/core';
import { loadPlanFile } from './commands/apply';
import { tmp } from './__tests__/run-bin';

// The plan file `apply` takes: arbitrary contents give a valid plan or a typed InputError.
describe('loadPlanFile on arbitrary input', () => {
  it('never throws anything but InputError naming the file', () => {
    const dir = tmp();
    const file = join(dir, 'plan.json');
    const docs = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
      fc
        .jsonValue({ maxDepth: 2 })
        .map((v) =>
          JSON.stringify({ schemaVersion: 1, fingerprint: 'sha256:x', complete: true, orgs: [v], guards: [] }),
        ),
    );
    fc.assert(
      fc.property(docs, (text) => {
        writeFileSync(file, text);
        try {
          loadPlanFile(file);
        } catch (error) {
          if (!InputError.isInstance(error)) throw new Error(`not a typed error: ${String(error)}`, { cause: error });
          expect(error.source).toBe(file);
        }
      }),
      { numRuns: 200 },
    );
  });
});
