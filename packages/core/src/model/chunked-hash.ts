import { createHash, type Hash } from 'node:crypto';

/**
 * sha256 of a long text fed piece by piece: the pieces are gathered into ~64 KiB chunks before
 * hashing, so the digest is that of the whole text without ever building a string of many
 * megabytes (the fingerprints of 100k-people inputs).
 */
export class ChunkedHash {
  private readonly hash: Hash = createHash('sha256');
  private chunk = '';

  add(text: string): void {
    this.chunk += text;
    if (this.chunk.length > 65_536) {
      this.hash.update(this.chunk);
      this.chunk = '';
    }
  }

  /** `sha256:<hex>` of everything added. */
  digest(): string {
    this.hash.update(this.chunk);
    this.chunk = '';
    return `sha256:${this.hash.digest('hex')}`;
  }
}

/** Characters `JSON.stringify` escapes in a string: quote, backslash, controls, lone surrogates (any surrogate, to be safe). */
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/**
 * `JSON.stringify(s)` for a string, cheaper for the usual one (an id, an address) that needs no
 * escape: then its JSON is the string between quotes. Anything else goes to `JSON.stringify`.
 */
export function jsonString(s: string): string {
  return NEEDS_ESCAPE.test(s) ? JSON.stringify(s) : `"${s}"`;
}
