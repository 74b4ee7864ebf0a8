/**
 * The CDF data types, their numeric codes in the file and their sizes in bytes
 * (CDF Internal Format Description; cdflib `_type_size`).
 */
export type CdfDataType =
  | 'INT1'
  | 'INT2'
  | 'INT4'
  | 'INT8'
  | 'UINT1'
  | 'UINT2'
  | 'UINT4'
  | 'REAL4'
  | 'REAL8'
  | 'FLOAT'
  | 'DOUBLE'
  | 'EPOCH'
  | 'EPOCH16'
  | 'TIME_TT2000'
  | 'BYTE'
  | 'CHAR'
  | 'UCHAR';

/** Code and element size of every CDF data type. */
export const CDF_DATA_TYPES: Readonly<Record<CdfDataType, { readonly code: number; readonly size: number }>> = {
  INT1: { code: 1, size: 1 },
  INT2: { code: 2, size: 2 },
  INT4: { code: 4, size: 4 },
  INT8: { code: 8, size: 8 },
  UINT1: { code: 11, size: 1 },
  UINT2: { code: 12, size: 2 },
  UINT4: { code: 14, size: 4 },
  REAL4: { code: 21, size: 4 },
  REAL8: { code: 22, size: 8 },
  EPOCH: { code: 31, size: 8 },
  EPOCH16: { code: 32, size: 16 },
  TIME_TT2000: { code: 33, size: 8 },
  BYTE: { code: 41, size: 1 },
  FLOAT: { code: 44, size: 4 },
  DOUBLE: { code: 45, size: 8 },
  CHAR: { code: 51, size: 1 },
  UCHAR: { code: 52, size: 1 },
};

const BY_CODE = new Map<number, CdfDataType>(
  Object.entries(CDF_DATA_TYPES).map(([name, { code }]) => [code, name as CdfDataType]),
);

/** The data type with this file code, or undefined for a code CDF does not define. */
export function cdfDataTypeFromCode(code: number): CdfDataType | undefined {
  return BY_CODE.get(code);
}

/** True for CHAR and UCHAR, whose values come out as strings. */
export function isCdfStringType(type: CdfDataType): type is 'CHAR' | 'UCHAR' {
  return type === 'CHAR' || type === 'UCHAR';
}

/** True for the three time types (EPOCH, EPOCH16, TIME_TT2000). */
export function isCdfTimeType(type: CdfDataType): type is 'EPOCH' | 'EPOCH16' | 'TIME_TT2000' {
  return type === 'EPOCH' || type === 'EPOCH16' || type === 'TIME_TT2000';
}
