import { gunzipSync } from 'node:zlib';
import { corruptFailure, sizeFailure, type DecodeFailure } from './decode-failure.js';

/** zlib's deflate cannot expand more than about 1032:1. */
const MAX_DEFLATE_RATIO = 1032;

/**
 * Inflates one gzip member (a CVVR payload or a whole-file CCR payload) whose inflated size the
 * file declares. Returns the bytes, or a reason: not gzip, corrupt, or a different size.
 * zlib stops at `expectedLength + 1` bytes, so a lying block never allocates more than that.
 */
export function decodeGzip(input: Uint8Array, expectedLength: number): Uint8Array | DecodeFailure {
  if (expectedLength > input.length * MAX_DEFLATE_RATIO + 64) {
    return sizeFailure(`declares ${expectedLength} bytes, more than ${input.length} gzip bytes can hold`);
  }
  let output: Uint8Array;
  try {
    output = gunzipSync(input, { maxOutputLength: expectedLength + 1, chunkSize: chunkSizeFor(expectedLength) });
  } catch (error) {
    if (error instanceof RangeError) return sizeFailure(`inflates past the expected ${expectedLength} bytes`);
    return corruptFailure(`does not inflate: ${(error as Error).message}`);
  }
  if (output.length !== expectedLength) return sizeFailure(`inflates to ${output.length} bytes, expected ${expectedLength}`);
  return output;
}

/** One output chunk for the whole block avoids zlib's chunk concatenation. */
function chunkSizeFor(expectedLength: number): number {
  return Math.min(Math.max(expectedLength + 1, 64), 64 * 1024 * 1024);
}
