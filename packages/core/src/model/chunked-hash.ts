import { createHash, type Hash } from 'node:crypto';

/**
 * sha256 of a long text fed piece by piece: the pieces are gathered into ~64 KiB chunks before
 * hashing, so the digest is that of the whole text without ever building a string of many
 * megabytes (the fingerprints of 100k-people inputs).
 */
export class ChunkedHash {
  private readonly hash: Hash = createHash('sha256');
  private chunk = '';
  /** Where chunks are encoded: one buffer reused, not a new one per chunk (3 bytes per UTF-16 unit at most). */
  private readonly bytes = Buffer.allocUnsafe(3 * 2 * 65_536);

  add(text: string): void {
    this.chunk += text;
    if (this.chunk.length > 65_536) this.flush();
  }

  /** `sha256:<hex>` of everything added. */
  digest(): string {
    this.flush();
    return `sha256:${this.hash.digest('hex')}`;
  }

  private flush(): void {
    if (this.chunk.length * 3 <= this.bytes.length)
      this.hash.update(this.bytes.subarray(0, this.bytes.write(this.chunk, 'utf8')));
    else this.hash.update(this.chunk); // one piece larger than the buffer
    this.chunk = '';
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

/**
 * sha256 fed UTF-8 bytes: pieces are copied into a 64 KiB buffer that is hashed when full. For
 * text whose bytes are known in advance (encoded once, hashed many times), this skips turning
 * strings into bytes on every hash.
 */
export class ByteHash {
  private readonly hash: Hash = createHash('sha256');
  private readonly buffer = Buffer.allocUnsafe(65_536);
  private used = 0;

  /** Adds `source[from .. to)`. */
  add(source: Uint8Array, from = 0, to = source.length): void {
    if (this.used + (to - from) > this.buffer.length) this.flush();
    if (to - from > this.buffer.length) {
      this.hash.update(source.subarray(from, to));
      return;
    }
    // A native copy: a byte loop in JS costs ~3x as much for the 25-100 byte pieces rows are made of.
    this.buffer.set(from === 0 && to === source.length ? source : source.subarray(from, to), this.used);
    this.used += to - from;
  }

  /** `sha256:<hex>` of everything added. */
  digest(): string {
    this.flush();
    return `sha256:${this.hash.digest('hex')}`;
  }

  private flush(): void {
    this.hash.update(this.buffer.subarray(0, this.used));
    this.used = 0;
  }
}

/**
 * Strings encoded as UTF-8 once, back to back: string i is `bytes[start[i] .. start[i + 1])`.
 * Each piece is encoded on its own terms, so pieces must not split a surrogate pair (JSON
 * strings, which begin and end with a quote, never do).
 */
export class Utf8Pieces {
  readonly bytes: Uint8Array;
  readonly start: Int32Array;

  constructor(pieces: readonly string[]) {
    const joined = pieces.join('');
    this.bytes = Buffer.from(joined, 'utf8');
    this.start = new Int32Array(pieces.length + 1);
    // As many bytes as characters means all ASCII (the usual case): then a piece's byte length is its length.
    const ascii = this.bytes.length === joined.length;
    let at = 0;
    for (let i = 0; i < pieces.length; i++) {
      this.start[i] = at;
      at += ascii ? pieces[i]!.length : Buffer.byteLength(pieces[i]!, 'utf8');
    }
    this.start[pieces.length] = at;
  }
}
