import type { CdfDataType } from '../model/cdf-data-type.js';

/**
 * The pad value a CDF 3 variable has when its descriptor declares none (cdflib `_default_pad`,
 * the NASA library): one value as raw bytes in the file's byte order.
 */
export function defaultPadBytes(type: CdfDataType, numElements: number, littleEndian: boolean): Uint8Array {
  const view = (size: number): DataView => new DataView(new ArrayBuffer(size));
  switch (type) {
    case 'INT1':
    case 'BYTE':
      return Uint8Array.of(0x81);
    case 'UINT1':
      return Uint8Array.of(254);
    case 'INT2':
      return bytesOf(view(2), (v) => v.setInt16(0, -32767, littleEndian));
    case 'UINT2':
      return bytesOf(view(2), (v) => v.setUint16(0, 65534, littleEndian));
    case 'INT4':
      return bytesOf(view(4), (v) => v.setInt32(0, -2147483647, littleEndian));
    case 'UINT4':
      return bytesOf(view(4), (v) => v.setUint32(0, 4294967294, littleEndian));
    case 'INT8':
    case 'TIME_TT2000':
      return bytesOf(view(8), (v) => v.setBigInt64(0, -(2n ** 63n) + 1n, littleEndian));
    case 'REAL4':
    case 'FLOAT':
      return bytesOf(view(4), (v) => v.setFloat32(0, -1e30, littleEndian));
    case 'REAL8':
    case 'DOUBLE':
      return bytesOf(view(8), (v) => v.setFloat64(0, -1e30, littleEndian));
    case 'EPOCH':
      return new Uint8Array(8);
    case 'EPOCH16':
      return new Uint8Array(16);
    case 'CHAR':
    case 'UCHAR':
      return new Uint8Array(numElements).fill(0x20);
  }
}

function bytesOf(view: DataView, write: (view: DataView) => void): Uint8Array {
  write(view);
  return new Uint8Array(view.buffer);
}
