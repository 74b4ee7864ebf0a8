import { CdfUsageError } from '../errors/cdf-usage-error.js';
import { civilFromDays, daysFromCivil } from './civil-date.js';
import { defaultLeapSecondTable } from './default-leap-second-table.js';
import type { LeapSecondTable } from './leap-second-table.js';
import { TT2000_FILL, TT2000_PAD, Tt2000Scale } from './tt2000-scale.js';
import { formatIsoUtc, parseIsoUtc, type UtcParts } from './utc-parts.js';

const scales = new WeakMap<LeapSecondTable, Tt2000Scale>();

/** The conversion scale of a table (built once per table). */
export function tt2000Scale(table: LeapSecondTable = defaultLeapSecondTable()): Tt2000Scale {
  let scale = scales.get(table);
  if (!scale) {
    scale = new Tt2000Scale(table);
    scales.set(table, scale);
  }
  return scale;
}

/**
 * TT2000 nanoseconds to ISO UTC with 9 fraction digits, e.g. `2015-06-30T23:59:60.500000000`.
 * Fill (−2⁶³) prints as `9999-12-31T23:59:59.999999999` and pad as `0000-01-01T00:00:00.000000000`.
 */
export function tt2000ToIso(tt: bigint, table?: LeapSecondTable): string {
  return formatIsoUtc(tt2000Scale(table).toUtc(tt), 9);
}

/** ISO UTC (up to 9 fraction digits used; `23:59:60` on a leap-second day) to TT2000 nanoseconds. */
export function isoToTt2000(iso: string, table?: LeapSecondTable): bigint {
  return utcPartsToTt2000(parseIsoUtc(iso), table, iso);
}

/** UTC parts to TT2000; throws CdfUsageError `bad-time` for second 60 on a day without a leap second. */
export function utcPartsToTt2000(parts: UtcParts, table?: LeapSecondTable, label?: string): bigint {
  const scale = tt2000Scale(table);
  if (parts.second === 60 && !scale.hasLeapSecondAtEndOf(daysFromCivil(parts.year, parts.month, parts.day))) {
    throw new CdfUsageError('bad-time', `no leap second at the end of that day: "${label ?? formatIsoUtc(parts, 9)}"`);
  }
  return scale.fromUtc(parts);
}

/**
 * TT2000 nanoseconds to Unix milliseconds (fractional). A leap second reads as the following
 * midnight, so the result never goes backwards; fill and pad read as NaN.
 */
export function tt2000ToUnixMs(tt: bigint, table?: LeapSecondTable): number {
  if (tt === TT2000_FILL || tt === TT2000_PAD) return Number.NaN;
  const parts = tt2000Scale(table).toUtc(tt);
  const day = daysFromCivil(parts.year, parts.month, parts.day);
  if (parts.second >= 60) return (day + 1) * 86_400_000;
  const secondOfDay = parts.hour * 3600 + parts.minute * 60 + parts.second;
  return day * 86_400_000 + secondOfDay * 1000 + parts.picoseconds / 1e9;
}

/** Unix milliseconds (fractional; a double carries about 0.25 µs at present-day values) to TT2000 nanoseconds. */
export function unixMsToTt2000(unixMs: number, table?: LeapSecondTable): bigint {
  if (!Number.isFinite(unixMs)) throw new CdfUsageError('bad-time', `not a finite Unix time: ${unixMs}`);
  const day = Math.floor(unixMs / 86_400_000);
  const msOfDay = unixMs - day * 86_400_000;
  const secondOfDay = Math.floor(msOfDay / 1000);
  const nanoseconds = Math.round((msOfDay - secondOfDay * 1000) * 1e6);
  const start = tt2000Scale(table).fromUtc({ ...civilFromDays(day), hour: 0, minute: 0, second: 0, picoseconds: 0 });
  return start + BigInt(secondOfDay) * 1_000_000_000n + BigInt(nanoseconds);
}
