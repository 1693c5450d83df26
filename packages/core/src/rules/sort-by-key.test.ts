import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { compareStrings } from './access';
import { sortByKey } from './sort-by-key';

describe('sortByKey', () => {
  it('gives the order of a comparison sort by key (code-point order), then the tie order (property)', () => {
    const key = fc.oneof(
      fc.string({ maxLength: 6 }),
      fc.stringMatching(/^[ab]{0,5}$/),
      fc.constantFrom('', '\uffff', 'a\u0000', 'é', '\ud83d\ude00', 'ab@x.io'),
    );
    fc.assert(
      fc.property(fc.array(fc.record({ key, id: fc.nat(50) }), { maxLength: 300 }), (rows) => {
        const items = rows.map((r, i) => ({ ...r, i }));
        const tie = (a: (typeof items)[number], b: (typeof items)[number]) => a.id - b.id || a.i - b.i;
        const expected = [...items].sort((a, b) => compareStrings(a.key, b.key) || tie(a, b));
        expect(sortByKey([...items], (x) => x.key, tie)).toEqual(expected);
      }),
      { numRuns: 500 },
    );
  });

  it('sorts many keys with long shared beginnings', () => {
    const items = Array.from({ length: 5000 }, (_, i) => `anna.smith${(i * 7919) % 5000}@acme.example`);
    expect(
      sortByKey(
        [...items],
        (x) => x,
        () => 0,
      ),
    ).toEqual([...items].sort());
  });
});
