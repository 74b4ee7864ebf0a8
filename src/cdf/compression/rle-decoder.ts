import { corruptFailure, sizeFailure, type DecodeFailure } from './decode-failure.js';

/**
 * Expands CDF run-length encoding (cType 1): a 0x00 byte followed by a count byte `n` stands for
 * `n + 1` zero bytes, every other byte is itself (cdflib `_uncompress_rle`, JCDF
 * `RunLengthInputStream`). The output size is known from the file, so the output is allocated
 * once and a stream that does not fill it exactly is reported.
 */
export function decodeRle(input: Uint8Array, expectedLength: number): Uint8Array | DecodeFailure {
  if (expectedLength > maxRleOutput(input.length)) {
    return sizeFailure(`declares ${expectedLength} bytes, more than ${input.length} RLE bytes can hold`);
  }
  const output = new Uint8Array(expectedLength);
  let out = 0;
  let i = 0;
  while (i < input.length) {
    const byte = input[i++]!;
    if (byte !== 0) {
      if (out >= expectedLength) return sizeFailure(`expands past the expected ${expectedLength} bytes`);
      output[out++] = byte;
      continue;
    }
    if (i >= input.length) return corruptFailure('ends inside a run of zeros');
    out += input[i++]! + 1;
    if (out > expectedLength) return sizeFailure(`expands past the expected ${expectedLength} bytes`);
  }
  if (out !== expectedLength) return sizeFailure(`expands to ${out} bytes, expected ${expectedLength}`);
  return output;
}

/** The largest output RLE can produce from `inputLength` bytes (two bytes make at most 256 zeros). */
function maxRleOutput(inputLength: number): number {
  return Math.ceil(inputLength / 2) * 256;
}
