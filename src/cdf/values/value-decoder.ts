import { CDF_DATA_TYPES, isCdfStringType, type CdfDataType } from '../model/cdf-data-type.js';
import type { CdfNumericArray, CdfValues } from '../model/cdf-values.js';
import { swapBytesInPlace } from './byte-swap.js';
import { numericView } from './typed-array-factory.js';

const UTF8 = new TextDecoder('utf-8');

/**
 * Turns raw values in the file's encoding into typed values. `bytes` holds `count` values of
 * `numElements` elements; when `owned` the buffer is reused for the result (byte-swapped in
 * place if the file is big-endian), otherwise it is copied first.
 */
export function decodeValues(
  bytes: Uint8Array,
  type: CdfDataType,
  numElements: number,
  count: number,
  littleEndian: boolean,
  owned: boolean,
): CdfValues {
  if (isCdfStringType(type)) return decodeStrings(bytes, numElements, count);
  return decodeNumeric(bytes, type, count, littleEndian, owned);
}

/** Numeric values (every type but CHAR/UCHAR) as a typed array; see `decodeValues`. */
export function decodeNumeric(
  bytes: Uint8Array,
  type: Exclude<CdfDataType, 'CHAR' | 'UCHAR'>,
  count: number,
  littleEndian: boolean,
  owned: boolean,
): CdfNumericArray {
  const size = CDF_DATA_TYPES[type].size;
  const aligned = owned && bytes.byteOffset % 8 === 0 ? bytes : bytes.slice(0, count * size);
  if (!littleEndian) swapBytesInPlace(aligned.subarray(0, count * size), type === 'EPOCH16' ? 8 : size);
  return numericView(type, aligned.buffer as ArrayBuffer, aligned.byteOffset, count);
}

/** CHAR/UCHAR: one string per value, cut at the first NUL (trailing blanks are kept). */
export function decodeStrings(bytes: Uint8Array, numElements: number, count: number): string[] {
  const strings = new Array<string>(count);
  for (let i = 0; i < count; i++) strings[i] = decodeText(bytes.subarray(i * numElements, (i + 1) * numElements));
  return strings;
}

/** Text of a CHAR value: UTF-8, cut at the first NUL. */
export function decodeText(bytes: Uint8Array): string {
  const end = bytes.indexOf(0);
  return UTF8.decode(end === -1 ? bytes : bytes.subarray(0, end));
}
