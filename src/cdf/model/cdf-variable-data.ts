import type { CdfValues } from './cdf-values.js';
import type { CdfVariableInfo } from './cdf-variable-info.js';

/** Which records to read: `first` and `last` are inclusive record numbers. */
export interface CdfRecordRange {
  readonly first?: number;
  readonly last?: number;
}

/**
 * The values of a read, row-major (record outermost, last dimension fastest) whatever the file's
 * majority. `shape` is `[records, ...dimensions]`; EPOCH16 holds 2 numbers per value.
 */
export interface CdfVariableData {
  readonly variable: CdfVariableInfo;
  /** Record number of the first record returned. */
  readonly firstRecord: number;
  readonly shape: readonly number[];
  readonly values: CdfValues;
}

/** Counters of the work reads have done, for tests and tuning. */
export interface CdfReadStats {
  /** Stored blocks (VVR or CVVR) whose bytes were copied or inflated. */
  blocksRead: number;
  /** Compressed blocks (CVVR) inflated. */
  blocksInflated: number;
  /** Bytes produced by inflating compressed blocks. */
  bytesInflated: number;
}
