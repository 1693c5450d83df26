import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { normalizeEmail } from '../model/email';
import { createEmailNormalizer } from './email-normalizer';

describe('createEmailNormalizer', () => {
  it('agrees with normalizeEmail on arbitrary strings and address-like strings (SPEC §5)', () => {
    const n = createEmailNormalizer();
    const part = fc.stringMatching(/^[ A-Za-zÀ-ÿ0-9.@_\-ü]{0,12}$/);
    const simple = fc.stringMatching(/^[a-z0-9.-]{1,10}@[a-z0-9.-]{1,12}$/);
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          simple,
          fc.tuple(part, part).map(([a, b]) => `${a}@${b}`),
          fc.constantFrom(
            'Ana@Bücher.example',
            ' x@Y.COM. ',
            '@a',
            'a@',
            'a b@c.d',
            'ana@acme.com',
            'a@xn--bcher-kva.example',
            'a@-bad-.com',
            'a@b..c',
            'a@b.c.',
            'x@@y.com',
            'a@acme.com.',
          ),
        ),
        (s) => n(s) === normalizeEmail(s),
      ),
      { numRuns: 2000 },
    );
    expect(n(null)).toBeNull();
    expect(n('Zoë@BÜCHER.example')).toBe('zoë@xn--bcher-kva.example');
  });
});
