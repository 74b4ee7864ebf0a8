import { Transform, type TransformCallback } from 'node:stream';
import type { ContentVerifier } from './content-verifier.js';

/**
 * Passes bytes through a ContentVerifier. A mismatch errors the stream before its end, so an
 * upload reading it never sends its last part and never completes. `failure` keeps the typed
 * error, because an uploader may report a later error (a failed abort) instead.
 */
export class VerifyingStream extends Transform {
  failure: Error | undefined;

  constructor(private readonly verifier: ContentVerifier) {
    super();
  }

  /** Errors the stream with `error`, remembered as the reason the put failed. */
  fail(error: Error): void {
    this.failure ??= error;
    this.destroy(error);
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.check(callback, () => this.verifier.update(chunk), chunk);
  }

  override _flush(callback: TransformCallback): void {
    this.check(callback, () => this.verifier.finish());
  }

  private check(callback: TransformCallback, verify: () => void, chunk?: Buffer): void {
    try {
      verify();
    } catch (error) {
      this.failure ??= error as Error;
      callback(error as Error);
      return;
    }
    callback(null, chunk);
  }
}
