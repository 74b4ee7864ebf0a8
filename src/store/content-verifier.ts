import { createHash, type Hash } from 'node:crypto';
import { StoreChecksumMismatchError, StoreSizeMismatchError } from './store-errors.js';

/**
 * Hashes and counts the bytes of a copy as they pass, so a put needs no second read, and says
 * as soon as the source runs past its declared size (a copy never reads unboundedly).
 */
export class ContentVerifier {
  private readonly hash: Hash = createHash('sha256');
  private count = 0;

  constructor(
    private readonly key: string,
    private readonly store: string,
    private readonly expected: { size: number; sha256: string },
  ) {}

  /** Bytes seen so far. */
  get bytes(): number {
    return this.count;
  }

  /** Feeds a chunk; throws StoreSizeMismatchError once the bytes exceed the declared size. */
  update(chunk: Uint8Array): void {
    this.count += chunk.byteLength;
    if (this.count > this.expected.size) throw this.sizeMismatch();
    this.hash.update(chunk);
  }

  /** After the last chunk: throws StoreSizeMismatchError or StoreChecksumMismatchError. */
  finish(): void {
    if (this.count !== this.expected.size) throw this.sizeMismatch();
    const actual = this.hash.digest('hex');
    if (actual !== this.expected.sha256.toLowerCase()) throw new StoreChecksumMismatchError(this.key, this.store, this.expected.sha256, actual);
  }

  private sizeMismatch(): StoreSizeMismatchError {
    return new StoreSizeMismatchError(this.key, this.store, this.expected.size, this.count, this.count > this.expected.size);
  }
}
