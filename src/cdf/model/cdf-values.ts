/**
 * How CDF values come out of the reader.
 *
 * - INT1/BYTE → Int8Array, INT2 → Int16Array, INT4 → Int32Array, INT8/TIME_TT2000 → BigInt64Array,
 *   UINT1 → Uint8Array, UINT2 → Uint16Array, UINT4 → Uint32Array,
 *   REAL4/FLOAT → Float32Array, REAL8/DOUBLE/EPOCH → Float64Array;
 * - EPOCH16 → Float64Array holding two numbers per value, (seconds, picoseconds), interleaved;
 * - CHAR/UCHAR → one string per value (NumElems bytes, trailing NULs removed).
 */
export type CdfNumericArray =
  | Int8Array
  | Uint8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | Float32Array
  | Float64Array
  | BigInt64Array;

/** The values of a variable or of a variable read: numbers in a typed array, or strings. */
export type CdfValues = CdfNumericArray | string[];

/** One attribute entry's value: a typed array of NumElems numbers, or one string for CHAR/UCHAR. */
export type CdfAttributeValue = CdfNumericArray | string;
