import type { CdfDataType } from '../model/cdf-data-type.js';
import type { NumericArray, WritableValues } from './value-encoder.js';

/** An attribute entry with an explicit data type; `value` is a string for CHAR/UCHAR. */
export interface TypedAttributeEntry {
  type: CdfDataType;
  value: string | number | bigint | WritableValues;
}

/**
 * One attribute entry. Without an explicit type: a string is CHAR; a bigint is INT8; a
 * typed array takes its own kind (Int16Array -> INT2, Float32Array -> FLOAT...); a
 * number is INT4 when it is an int32, else DOUBLE. On a variable of a numeric type,
 * numeric entries take the variable's own type instead (what ISTP wants for FILLVAL, VALIDMIN...).
 */
export type AttributeEntry = string | number | bigint | NumericArray | BigInt64Array | TypedAttributeEntry;

/** A global attribute: one entry, or an array of entries (entry numbers 0, 1, 2...). */
export type GlobalAttributeValue = AttributeEntry | readonly AttributeEntry[];

/** A variable attribute: one entry; a plain array of numbers is one multi-element entry. */
export type VariableAttributeValue = AttributeEntry | readonly number[] | readonly bigint[];

/** GZIP compression of a variable's blocks (one gzip member per CVVR). */
export interface GzipCompression {
  type: 'gzip';
  /** zlib level 1-9; 6 when omitted. */
  level?: number;
}

/** A zVariable as the writer creates it. */
export interface VariableDefinition {
  name: string;
  type: CdfDataType;
  /** Shape of one record, e.g. `[3]` for a vector; `[]` or omitted for a scalar. At most 10 dimensions. */
  dims?: readonly number[];
  /** False for a non-record-varying (NRV) variable, which holds exactly one record. Default true. */
  recordVarying?: boolean;
  /**
   * Characters per value for CHAR/UCHAR (required when streaming them; `writeCdf`
   * takes the longest value when omitted). Always 1 for the other types.
   */
  numElems?: number;
  /** The pad value (two numbers for EPOCH16); the type's CDF 3 default when omitted. */
  padValue?: number | bigint | string | readonly number[];
  compression?: GzipCompression;
  /** Records per stored block (VVR, or CVVR when compressed); sized to ~1 MiB (256 KiB compressed) by default. */
  blockingFactor?: number;
  attributes?: Readonly<Record<string, VariableAttributeValue>>;
}

/** Everything written before the first record: attributes and variable definitions. */
export interface CdfSchema {
  globalAttributes?: Readonly<Record<string, GlobalAttributeValue>>;
  variables: readonly VariableDefinition[];
}

/** File-level choices. */
export interface CdfWriteOptions {
  /** Layout of the values inside a record; input values are always given row-major. Default 'row'. */
  majority?: 'row' | 'column';
  /** Append the MD5 of the file as its last 16 bytes. Default false. */
  md5?: boolean;
  /** CDR copyright text (at most 256 bytes); the NASA library's text when omitted. */
  copyright?: string;
}
