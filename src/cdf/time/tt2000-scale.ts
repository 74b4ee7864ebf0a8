import { civilFromDays, daysFromCivil } from './civil-date.js';
import type { LeapSecondTable } from './leap-second-table.js';
import type { UtcParts } from './utc-parts.js';

const NS_PER_SECOND = 1_000_000_000n;
const NS_PER_DAY = 86_400n * NS_PER_SECOND;
/** TT − TAI. */
const TT_MINUS_TAI_NS = 32_184_000_000n;
/** Unix seconds of 2000-01-01T12:00:00, the J2000 origin of TT2000 counted in UTC seconds. */
const J2000_UNIX_NS = 946_728_000n * NS_PER_SECOND;
const DAYS_1970_TO_2000 = 10_957;
/** Julian day number of 1970-01-01 (the JD at its noon). */
const JDN_1970 = 2_440_588;
const MJD_BASE = 2_400_000.5;

/** TT2000 fill and pad values (−2⁶³ and −2⁶³+1) and how NASA's library prints them. */
export const TT2000_FILL = -(2n ** 63n);
export const TT2000_PAD = TT2000_FILL + 1n;
const FILL_PARTS: UtcParts = { year: 9999, month: 12, day: 31, hour: 23, minute: 59, second: 59, picoseconds: 999_999_999_000 };
const PAD_PARTS: UtcParts = { year: 0, month: 1, day: 1, hour: 0, minute: 0, second: 0, picoseconds: 0 };

/**
 * TT2000 ⇄ UTC for one leap-second table, following NASA's CDF library (cdflib `compute_tt2000`
 * and `breakdown_tt2000`): TAI−UTC is taken per UTC day, from the drift formula before 1972.
 */
export class Tt2000Scale {
  /** TT2000 of 00:00:00 UTC on each table row's date. */
  readonly rowStarts: readonly bigint[];

  constructor(readonly table: LeapSecondTable) {
    this.rowStarts = table.entries.map((row) =>
      this.fromUtc({ year: row.year, month: row.month, day: row.day, hour: 0, minute: 0, second: 0, picoseconds: 0 }),
    );
  }

  /** TAI−UTC in seconds in force on a UTC day (days since 1970-01-01); 0 before the table. */
  taiMinusUtc(unixDay: number): number {
    const row = this.rowIndexForDay(unixDay);
    if (row < 0) return 0;
    const entry = this.table.entries[row]!;
    if (entry.drift === 0) return entry.taiMinusUtc;
    return entry.taiMinusUtc + (unixDay + JDN_1970 - MJD_BASE - entry.mjdBase) * entry.drift;
  }

  /** UTC to TT2000 nanoseconds. Second 60 is valid on a day that ends with a leap second. */
  fromUtc(parts: UtcParts): bigint {
    const unixDay = daysFromCivil(parts.year, parts.month, parts.day);
    const secondOfDay = parts.hour * 3600 + parts.minute * 60 + parts.second;
    const nanoseconds = BigInt(Math.trunc(parts.picoseconds / 1000));
    const taiMinusUtcNs = BigInt(Math.trunc(this.taiMinusUtc(unixDay) * 1e9));
    return (
      BigInt(unixDay - DAYS_1970_TO_2000) * NS_PER_DAY +
      BigInt(secondOfDay) * NS_PER_SECOND +
      nanoseconds -
      43_200n * NS_PER_SECOND +
      taiMinusUtcNs +
      TT_MINUS_TAI_NS
    );
  }

  /** TT2000 nanoseconds to UTC; inside a leap second the result has second 60. */
  toUtc(tt: bigint): UtcParts {
    if (tt === TT2000_FILL) return FILL_PARTS;
    if (tt === TT2000_PAD) return PAD_PARTS;
    const row = this.rowIndexForTt(tt);
    const entry = row >= 0 ? this.table.entries[row]! : undefined;
    if (entry && entry.drift === 0) return this.toUtcAfter1972(tt, row);
    return this.toUtcWithDrift(tt);
  }

  /** True when `second` 60 exists at the end of this UTC day. */
  hasLeapSecondAtEndOf(unixDay: number): boolean {
    return this.taiMinusUtc(unixDay + 1) - this.taiMinusUtc(unixDay) === 1;
  }

  private toUtcAfter1972(tt: bigint, row: number): UtcParts {
    const entry = this.table.entries[row]!;
    const nextStart = this.rowStarts[row + 1];
    const nextEntry = this.table.entries[row + 1];
    if (nextStart !== undefined && nextEntry !== undefined) {
      const leapNs = BigInt(Math.round(nextEntry.taiMinusUtc - entry.taiMinusUtc)) * NS_PER_SECOND;
      if (leapNs > 0n && tt >= nextStart - leapNs) return this.insideLeapSecond(tt, row + 1, leapNs);
    }
    return breakDownUnixNs(tt - TT_MINUS_TAI_NS - BigInt(entry.taiMinusUtc) * NS_PER_SECOND + J2000_UNIX_NS);
  }

  private insideLeapSecond(tt: bigint, nextRow: number, leapNs: bigint): UtcParts {
    const next = this.table.entries[nextRow]!;
    const lastDay = civilFromDays(daysFromCivil(next.year, next.month, next.day) - 1);
    const intoLeap = tt - (this.rowStarts[nextRow]! - leapNs);
    return {
      ...lastDay,
      hour: 23,
      minute: 59,
      second: 60 + Number(intoLeap / NS_PER_SECOND),
      picoseconds: Number(intoLeap % NS_PER_SECOND) * 1000,
    };
  }

  /** Before 1972 TAI−UTC depends on the UTC day being computed: iterate to the fixed point. */
  private toUtcWithDrift(tt: bigint): UtcParts {
    let unixNs = tt - TT_MINUS_TAI_NS + J2000_UNIX_NS;
    let day = floorDay(unixNs);
    for (let attempt = 0; attempt < 4; attempt++) {
      unixNs = tt - TT_MINUS_TAI_NS - BigInt(Math.trunc(this.taiMinusUtc(day) * 1e9)) + J2000_UNIX_NS;
      const next = floorDay(unixNs);
      if (next === day) break;
      day = next;
    }
    return breakDownUnixNs(unixNs);
  }

  private rowIndexForTt(tt: bigint): number {
    return lastIndexAtOrBelow(this.rowStarts.length, (i) => this.rowStarts[i]! <= tt);
  }

  private rowIndexForDay(unixDay: number): number {
    const entries = this.table.entries;
    return lastIndexAtOrBelow(entries.length, (i) => daysFromCivil(entries[i]!.year, entries[i]!.month, entries[i]!.day) <= unixDay);
  }
}

/** Largest i in [0, length) with `atOrBelow(i)` true, for a predicate true on a prefix; −1 if none. */
function lastIndexAtOrBelow(length: number, atOrBelow: (i: number) => boolean): number {
  let low = 0;
  let high = length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (atOrBelow(mid)) low = mid + 1;
    else high = mid;
  }
  return low - 1;
}

function floorDay(unixNs: bigint): number {
  const day = unixNs / NS_PER_DAY;
  return Number(unixNs < 0n && day * NS_PER_DAY !== unixNs ? day - 1n : day);
}

function breakDownUnixNs(unixNs: bigint): UtcParts {
  const day = floorDay(unixNs);
  const nsOfDay = Number(unixNs - BigInt(day) * NS_PER_DAY);
  const secondOfDay = Math.floor(nsOfDay / 1e9);
  const { year, month, day: dayOfMonth } = civilFromDays(day);
  return {
    year,
    month,
    day: dayOfMonth,
    hour: Math.floor(secondOfDay / 3600),
    minute: Math.floor(secondOfDay / 60) % 60,
    second: secondOfDay % 60,
    picoseconds: (nsOfDay - secondOfDay * 1e9) * 1000,
  };
}
