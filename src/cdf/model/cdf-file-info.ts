import type { CdfCompression } from './cdf-variable-info.js';

/** Layout of multi-dimensional records in the file (values always come out row-major). */
export type CdfMajority = 'row' | 'column';

/** File-level facts from the magic number, CDR and GDR. */
export interface CdfFileInfo {
  /** The path, or the name given for an in-memory source; used in every error message. */
  readonly name: string;
  /** Size in bytes of the file as stored (compressed size for a whole-file-compressed file). */
  readonly size: number;
  /** `version.release.increment`, e.g. `3.9.0`. */
  readonly version: string;
  /** CDR Encoding code (6 = IBMPC, 1 = NETWORK...). */
  readonly encoding: number;
  /** True when data values are little-endian. */
  readonly littleEndian: boolean;
  readonly majority: CdfMajority;
  /** Whole-file compression (CCR/CPR), `none` for a normal file. */
  readonly fileCompression: CdfCompression;
  /** True when the file ends with an MD5 of everything before it. */
  readonly hasChecksum: boolean;
  /** GDR LeapSecondLastUpdated as YYYYMMDD, undefined when unset (-1 or absent before v3.6). */
  readonly leapSecondLastUpdated?: number;
  readonly copyright: string;
}
