import type { CdfDataType } from '../model/cdf-data-type.js';
import type { CdfNumericArray } from '../model/cdf-values.js';

/** Builds the typed array of a numeric CDF type as a view on an aligned buffer. */
export function numericView(type: Exclude<CdfDataType, 'CHAR' | 'UCHAR'>, buffer: ArrayBuffer, byteOffset: number, count: number): CdfNumericArray {
  switch (type) {
    case 'INT1':
    case 'BYTE':
      return new Int8Array(buffer, byteOffset, count);
    case 'UINT1':
      return new Uint8Array(buffer, byteOffset, count);
    case 'INT2':
      return new Int16Array(buffer, byteOffset, count);
    case 'UINT2':
      return new Uint16Array(buffer, byteOffset, count);
    case 'INT4':
      return new Int32Array(buffer, byteOffset, count);
    case 'UINT4':
      return new Uint32Array(buffer, byteOffset, count);
    case 'INT8':
    case 'TIME_TT2000':
      return new BigInt64Array(buffer, byteOffset, count);
    case 'REAL4':
    case 'FLOAT':
      return new Float32Array(buffer, byteOffset, count);
    case 'REAL8':
    case 'DOUBLE':
    case 'EPOCH':
      return new Float64Array(buffer, byteOffset, count);
    case 'EPOCH16':
      return new Float64Array(buffer, byteOffset, count * 2);
  }
}
