import type { CdfAttributeEntry } from './cdf-attribute.js';
import type { CdfDataType } from './cdf-data-type.js';
import type { CdfAttributeValue } from './cdf-values.js';

/** Compression of a variable's blocks or of a whole file (CPR cType). */
export type CdfCompression = 'none' | 'rle' | 'huffman' | 'adaptive-huffman' | 'gzip';

/** How records missing from a variable's index read: pad value, or the previous record. */
export type CdfSparseRecords = 'none' | 'pad' | 'previous';

/** Everything about a variable that its descriptor and attributes say, without reading data. */
export interface CdfVariableInfo {
  readonly name: string;
  /** zVariable or rVariable (rVariables take their dimensions from the GDR). */
  readonly kind: 'z' | 'r';
  /** The variable number within its kind (what attribute entries refer to). */
  readonly number: number;
  readonly type: CdfDataType;
  /** String length for CHAR/UCHAR, 1 otherwise. */
  readonly numElements: number;
  /** Declared dimension sizes of one record. */
  readonly dimensions: readonly number[];
  /**
   * Per dimension, whether it varies. A non-varying dimension is stored once and read back
   * repeated along its declared size, so values always have the declared shape.
   */
  readonly dimensionVariance: readonly boolean[];
  /** False for a non-record-varying variable (one record that holds for all). */
  readonly recordVariance: boolean;
  /** MaxRec + 1: the number of records a full read returns. */
  readonly recordCount: number;
  /** `[recordCount, ...dimensions]`, the shape of a full read. */
  readonly shape: readonly number[];
  readonly compression: CdfCompression;
  /** GZIP level when `compression` is `gzip`. */
  readonly compressionLevel?: number;
  readonly sparseRecords: CdfSparseRecords;
  /** Records per block as the writer allocated them (0 when unset). */
  readonly blockingFactor: number;
  /** The declared pad value, if the descriptor has one (one value, or the string for CHAR). */
  readonly padValue?: CdfAttributeValue;
  /** Variable-scope attributes that have an entry for this variable, by attribute name. */
  readonly attributes: Readonly<Record<string, CdfAttributeEntry>>;
}
