import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { normalizeEmail } from '../model/email';
import { createEmailNormalizer } from './email-normalizer';

describe('createEmailNormalizer', () => {
  it('agrees with normalizeEmail on arbitrary strings and address-like strings (SPEC §5)', () => {
    const n = createEmailNormalizer();
    const part = fc.stringMatching(/^[ A-Za-zÀ-ÿ0-9.@_\-ü]{0,12}$/);
    fc.assert(fc.property(fc.oneof(fc.string(), fc.tuple(part, part).map(([a, b]) => `${a}@${b}`), fc.constantFrom('Ana@Bücher.example', ' x@Y.COM. ', '@a', 'a@', 'a b@c.d')), (s) => n(s) === normalizeEmail(s)));
    expect(n(null)).toBeNull();
    expect(n('Zoë@BÜCHER.example')).toBe('zoë@xn--bcher-kva.example');
  });
});
