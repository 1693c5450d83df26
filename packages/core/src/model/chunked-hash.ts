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
