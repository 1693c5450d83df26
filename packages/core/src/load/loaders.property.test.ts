/**
 * Property-based: every loader turns arbitrary input into either a valid value or a typed
 * InputError naming its source — never a raw TypeError / SyntaxError from deep inside.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError } from '../errors/input-error';
import { parseDomainMembers } from '../engine/audit/domain-members';
import { parseOrgConfig } from './load-config';
import { parseMembers } from './load-members';
import { parseSnapshot } from './parse-snapshot';

const RUNS = 300;

/** Calls the loader; passes when it returns or throws an InputError naming the source. */
function typedOrOk(fn: () => unknown, source: string): void {
  try {
    fn();
  } catch (error) {
    if (!InputError.isInstance(error)) throw new Error(`not a typed error: ${String(error)}`, { cause: error });
    expect(error.source).toBe(source);
    expect(error.message.length).toBeGreaterThan(0);
    expect(error.message).not.toMatch(/\n\s+at /);
  }
}

/** JSON-ish documents near the real shapes: right keys, wrong types, missing parts. */
const jsonish = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.string(),
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(
      fc.constantFrom(
        'parent',
        'organizations',
        'idp',
        'verifiedDomains',
        'id',
        'surface',
        'plan',
        'provisioning',
        'mode',
        'groupMappings',
        'roles',
        'email',
        'role',
        'schemaVersion',
        'users',
        'groups',
        'app',
        'x',
      ),
      tie('value'),
      { maxKeys: 5 },
    ),
  ),
})).value;

describe('loaders never throw anything but InputError', () => {
  it('config (YAML or JSON): arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => typedOrOk(() => parseOrgConfig(text, 'c.yaml'), 'c.yaml')),
      { numRuns: RUNS },
    );
  });

  it('config: arbitrary JSON documents', () => {
    fc.assert(
      fc.property(jsonish, (doc) => typedOrOk(() => parseOrgConfig(JSON.stringify(doc) ?? 'null', 'c.json'), 'c.json')),
      { numRuns: RUNS },
    );
  });

  it('config: valid shape with one field broken names that field', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('surface', 'plan', 'id'),
        fc.oneof(fc.integer(), fc.constant('nope'), fc.constant(null)),
        (field, bad) => {
          const org: Record<string, unknown> = {
            id: 'o1',
            surface: 'claude',
            plan: 'enterprise',
            provisioning: { mode: 'jit' },
          };
          org[field] = bad;
          const text = JSON.stringify({ parent: { idp: 'okta', verifiedDomains: [] }, organizations: [org] });
          try {
            parseOrgConfig(text, 'c.json');
          } catch (error) {
            expect(InputError.isInstance(error)).toBe(true);
            expect((error as InputError).issues.some((i) => i.path.startsWith('organizations[0]'))).toBe(true);
            return;
          }
          // Only a valid id string may pass.
          expect(field === 'id' && typeof bad === 'string').toBe(true);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('members: arbitrary CSV-ish and JSON text', () => {
    const csvish = fc
      .array(
        fc
          .array(
            fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('email', 'role', 'a@b.co', '"', ',', 'owner')),
            { maxLength: 4 },
          )
          .map((cells) => cells.join(',')),
        { maxLength: 5 },
      )
      .map((rows) => rows.join('\n'));
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 200 }),
          csvish,
          jsonish.map((d) => JSON.stringify(d) ?? ''),
        ),
        (text) => typedOrOk(() => parseMembers(text, 'm.csv'), 'm.csv'),
      ),
      { numRuns: RUNS },
    );
  });

  it('snapshot: arbitrary JSON and text', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 200 }),
          jsonish.map((d) => JSON.stringify(d) ?? ''),
        ),
        (text) => typedOrOk(() => parseSnapshot(text, 's.json'), 's.json'),
      ),
      { numRuns: RUNS },
    );
  });

  it('domain-membership export: arbitrary CSV / JSON text', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 200 }),
          jsonish.map((d) => JSON.stringify(d) ?? ''),
        ),
        (text) => typedOrOk(() => parseDomainMembers(text, 'd.csv'), 'd.csv'),
      ),
      { numRuns: RUNS },
    );
  });
});
