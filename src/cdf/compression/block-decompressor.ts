import type { CdfCompression } from '../model/cdf-variable-info.js';
import { corruptFailure, type DecodeFailure } from './decode-failure.js';
import { decodeGzip } from './gzip-decoder.js';
import { decodeRle } from './rle-decoder.js';

const BY_CODE: ReadonlyMap<number, CdfCompression> = new Map([
  [0, 'none'],
  [1, 'rle'],
  [2, 'huffman'],
  [3, 'adaptive-huffman'],
  [5, 'gzip'],
]);

/** The compression named by a CPR cType, or undefined for an unknown code. */
export function compressionFromCode(cType: number): CdfCompression | undefined {
  return BY_CODE.get(cType);
}

/** True for the compressions this reader expands (GZIP and RLE). */
export function isDecodable(compression: CdfCompression): boolean {
  return compression === 'gzip' || compression === 'rle' || compression === 'none';
}

/**
 * Expands a compressed block (CVVR or CCR payload) to exactly `expectedLength` bytes.
 * Returns the bytes, or why it could not. Callers check `isDecodable` first: Huffman codings are
 * not decoded (no current writer produces them and no reference file uses them).
 */
export function decompressBlock(compression: CdfCompression, input: Uint8Array, expectedLength: number): Uint8Array | DecodeFailure {
  if (compression === 'gzip') return decodeGzip(input, expectedLength);
  if (compression === 'rle') return decodeRle(input, expectedLength);
  return corruptFailure(`${compression} compression is not supported by this reader`);
}
