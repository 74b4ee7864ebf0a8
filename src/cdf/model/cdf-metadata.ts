import type { CdfGlobalAttribute } from './cdf-attribute.js';
import type { CdfFileInfo } from './cdf-file-info.js';
import type { CdfVariableInfo } from './cdf-variable-info.js';

/** First and last record of a file's time variable, as UTC. */
export interface CdfTimeRange {
  /** The time variable: the most used DEPEND_0, else `Epoch`, else the first time-typed variable. */
  readonly variable: string;
  readonly type: 'EPOCH' | 'EPOCH16' | 'TIME_TT2000';
  /** ISO 8601 UTC without zone letter, at the type's precision (ms, ps or ns); `23:59:60` in a leap second. */
  readonly start: string;
  readonly end: string;
  /** Unix milliseconds (a leap second reads as the following midnight); NaN for a fill value. */
  readonly startUnixMs: number;
  readonly endUnixMs: number;
}

/** What ingest needs to index a product, read without touching data other than the time range. */
export interface CdfMetadata {
  readonly file: CdfFileInfo;
  readonly globalAttributes: readonly CdfGlobalAttribute[];
  readonly variables: readonly CdfVariableInfo[];
  /** Absent when the file has no time variable or it has no records. */
  readonly timeRange?: CdfTimeRange;
}
