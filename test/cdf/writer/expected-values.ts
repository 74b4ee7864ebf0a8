/** Test-side views of what the writer was given: the reader's array types, and JCDF's file order. */
import type { CdfDataType, CdfValues } from '../../../src/cdf/index.js';

type ArrayMaker = { from(values: ArrayLike<number | bigint>): CdfValues };

const READER_ARRAYS: Partial<Record<CdfDataType, ArrayMaker>> = {
  INT1: Int8Array, BYTE: Int8Array, INT2: Int16Array, INT4: Int32Array,
  UINT1: Uint8Array, UINT2: Uint16Array, UINT4: Uint32Array,
  REAL4: Float32Array, FLOAT: Float32Array,
  REAL8: Float64Array, DOUBLE: Float64Array, EPOCH: Float64Array, EPOCH16: Float64Array,
};

/** The values as the reader returns them for `type` (typed array of its kind, or strings). */
export function asReaderValues(type: CdfDataType, values: ArrayLike<unknown>): CdfValues {
  if (type === 'CHAR' || type === 'UCHAR') return Array.from(values as ArrayLike<string>);
  if (type === 'INT8' || type === 'TIME_TT2000') return BigInt64Array.from(values as ArrayLike<bigint>);
  return READER_ARRAYS[type]!.from(values as ArrayLike<number>);
}

type Slots = { [index: number]: unknown; readonly length: number };

/**
 * Reorders row-major records (last dimension fastest) into column-major (first dimension
 * fastest), `width` array slots per element (2 for EPOCH16): the order JCDF prints a
 * column-major file's records in.
 */
export function toColumnMajor<T extends CdfValues>(values: T, dims: readonly number[], width: number): T {
  const out = values.slice() as T;
  const source: Slots = values;
  const sink: Slots = out;
  const perRecord = dims.reduce((a, b) => a * b, 1);
  const rowStrides = dims.map((_, j) => dims.slice(j + 1).reduce((a, b) => a * b, 1));
  for (let base = 0; base < values.length; base += perRecord * width) {
    const index = dims.map(() => 0);
    for (let column = 0; column < perRecord; column++) {
      const row = index.reduce((sum, v, j) => sum + v * rowStrides[j]!, 0);
      for (let k = 0; k < width; k++) sink[base + column * width + k] = source[base + row * width + k];
      for (let j = 0; j < dims.length; j++) {
        index[j]! += 1;
        if (index[j]! < dims[j]!) break;
        index[j] = 0;
      }
    }
  }
  return out;
}
