import { readFileSync } from 'node:fs';
import { CdfUsageError } from '../errors/cdf-usage-error.js';

/**
 * One row of the CDF leap-second table: from this UTC date on, TAI−UTC is
 * `taiMinusUtc + (MJD − mjdBase) · drift` seconds (drift is 0 from 1972 on).
 */
export interface LeapSecondEntry {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly taiMinusUtc: number;
  readonly mjdBase: number;
  readonly drift: number;
}

/**
 * The TAI−UTC history that TT2000 conversions use, in the format of NASA's `CDFLeapSeconds.txt`
 * (`year month day seconds mjdBase drift`, `;` starts a comment). A new leap second is a new line
 * in that file, not a code change.
 */
export class LeapSecondTable {
  private constructor(
    readonly entries: readonly LeapSecondEntry[],
    /** Where the table came from (a path, or a label), for messages. */
    readonly source: string,
  ) {}

  /** Parses the text of a leap-second table; throws CdfUsageError `bad-leap-second-table`. */
  static parse(text: string, source = '<text>'): LeapSecondTable {
    const entries: LeapSecondEntry[] = [];
    for (const [index, raw] of text.split(/\r?\n/).entries()) {
      const line = raw.trim();
      if (line === '' || raw.startsWith(';')) continue;
      entries.push(parseLine(line, `${source}:${index + 1}`));
    }
    if (entries.length === 0) throw tableError(`${source}: no leap-second rows`);
    for (let i = 1; i < entries.length; i++) {
      if (monthIndex(entries[i]!) <= monthIndex(entries[i - 1]!)) {
        throw tableError(`${source}: rows are not in increasing date order at row ${i + 1}`);
      }
    }
    return new LeapSecondTable(entries, source);
  }

  /** Reads and parses a leap-second table file. */
  static load(path: string): LeapSecondTable {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (cause) {
      throw tableError(`cannot read leap-second table ${path}`, cause);
    }
    return LeapSecondTable.parse(text, path);
  }

  /** Number of leading rows that are pre-1972 drift rows (TAI−UTC varied continuously). */
  get driftRowCount(): number {
    const index = this.entries.findIndex((entry) => entry.drift === 0);
    return index === -1 ? this.entries.length : index;
  }
}

function parseLine(line: string, where: string): LeapSecondEntry {
  const fields = line.split(/\s+/).map(Number);
  if (fields.length !== 6 || fields.some((field) => !Number.isFinite(field))) {
    throw tableError(`${where}: expected 6 numbers "year month day seconds mjdBase drift", got "${line}"`);
  }
  const [year, month, day, taiMinusUtc, mjdBase, drift] = fields as [number, number, number, number, number, number];
  if (!Number.isInteger(year) || month < 1 || month > 12 || day < 1 || day > 31) {
    throw tableError(`${where}: bad date in "${line}"`);
  }
  return { year, month, day, taiMinusUtc, mjdBase, drift };
}

function monthIndex(entry: LeapSecondEntry): number {
  return entry.year * 12 + entry.month;
}

function tableError(message: string, cause?: unknown): CdfUsageError {
  return new CdfUsageError('bad-leap-second-table', message, cause === undefined ? undefined : { cause });
}
