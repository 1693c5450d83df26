import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { oneLine } from './findings';

describe('oneLine (finding messages and fixes are one line, SPEC §4)', () => {
  it('collapses newlines and runs of spaces and trims; text already on one line comes back as it is (property)', () => {
    const slow = (s: string) =>
      s
        .replace(/\s*\n\s*/g, ' ')
        .replace(/ {2,}/g, ' ')
        .trim();
    const text = fc
      .array(fc.constantFrom('a', 'b', ' ', '  ', '\n', '\t', '\r', '\u00a0', '\ufeff', 'é'), { maxLength: 12 })
      .map((xs) => xs.join(''));
    fc.assert(
      fc.property(text, (s) => {
        expect(oneLine(s)).toBe(slow(s));
      }),
      { numRuns: 2000 },
    );
    expect(oneLine('Fix it:\n  set  X  ')).toBe('Fix it: set X');
  });
});
