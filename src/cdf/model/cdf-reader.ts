import type { CdfGlobalAttribute } from './cdf-attribute.js';
import type { CdfFileInfo } from './cdf-file-info.js';
import type { CdfMetadata } from './cdf-metadata.js';
import type { CdfReadStats, CdfRecordRange, CdfVariableData } from './cdf-variable-data.js';
import type { CdfVariableInfo } from './cdf-variable-info.js';
import type { LeapSecondTable } from '../time/leap-second-table.js';

/**
 * An open CDF file. Descriptors and attributes are parsed on open; variable data is read on
 * demand, and a record range reads only the blocks that hold it.
 *
 * @example
 * const cdf = openCdf('sc1_mag_burst_l2_20151016130524_v4.18.1.cdf');
 * try {
 *   const { shape, values } = cdf.read('sc1_mag_b_gse_burst_l2', { first: 0, last: 99 });
 *   // shape = [100, 4], values: Float32Array of 400 numbers
 * } finally {
 *   cdf.close();
 * }
 */
export interface CdfReader {
  readonly file: CdfFileInfo;
  /** Global attributes in attribute-number order. */
  readonly globalAttributes: readonly CdfGlobalAttribute[];
  /** rVariables then zVariables (JCDF's order), each in variable-number order. */
  readonly variables: readonly CdfVariableInfo[];
  /** Counters of the blocks read so far (to check that range reads stay small). */
  readonly stats: Readonly<CdfReadStats>;

  /** The variable with this name; throws CdfUsageError `unknown-variable` if absent. */
  variable(name: string): CdfVariableInfo;
  hasVariable(name: string): boolean;
  /** The global attribute with this name, or undefined. */
  globalAttribute(name: string): CdfGlobalAttribute | undefined;
  /**
   * Reads a variable's values, row-major, shaped `[records, ...dimensions]`.
   * Missing records read as the pad value, or as the previous record for previous-sparse variables.
   * Throws CdfUsageError `bad-record-range` for a range outside `[0, recordCount - 1]`.
   */
  read(name: string, range?: CdfRecordRange): CdfVariableData;
  /** File facts, global attributes, variables and the time range of the time variable. */
  metadata(): CdfMetadata;
  /**
   * Checks the MD5 trailer against the file. Returns false when the file has no checksum,
   * true when it matches, and throws CdfFormatError `checksum-mismatch` when it does not.
   */
  verifyChecksum(): boolean;
  /** Releases the file descriptor of a file opened by path (no-op for in-memory sources). */
  close(): void;
}

/** Options of `openCdf`. */
export interface CdfOpenOptions {
  /** Name used in error messages for an in-memory source (default `<memory>`). */
  readonly name?: string;
  /** Verify the MD5 checksum on open (throws CdfFormatError `checksum-mismatch`). */
  readonly verifyChecksum?: boolean;
  /**
   * Most bytes of records the file does not store (pad or previous-sparse fill, repeats of a
   * non-record-varying record) that one read may produce; default 256 MiB. Guards against a
   * damaged MaxRec asking for gigabytes of pad values.
   */
  readonly maxVirtualBytes?: number;
  /** Leap-second table for the time range in `metadata()` (default: `defaultLeapSecondTable()`). */
  readonly leapSeconds?: LeapSecondTable;
}
