import { civilFromDays, daysFromCivil } from './civil-date.js';
import { formatIsoUtc, parseIsoUtc, type UtcParts } from './utc-parts.js';

/** CDF_EPOCH of 1970-01-01T00:00:00 (milliseconds since 0000-01-01). */
export const EPOCH_UNIX_ORIGIN_MS = 62_167_219_200_000;
/** ISTP fill value of CDF_EPOCH and CDF_EPOCH16 parts. */
export const EPOCH_FILL = -1e31;

const MS_PER_DAY = 86_400_000;
const FILL_PARTS: UtcParts = { year: 9999, month: 12, day: 31, hour: 23, minute: 59, second: 59, picoseconds: 999_999_999_999 };

/** CDF_EPOCH (ms since 0000-01-01, no leap seconds) to Unix milliseconds. */
export function epochToUnixMs(epoch: number): number {
  return epoch - EPOCH_UNIX_ORIGIN_MS;
}

/** Unix milliseconds to CDF_EPOCH. */
export function unixMsToEpoch(unixMs: number): number {
  return unixMs + EPOCH_UNIX_ORIGIN_MS;
}

/** CDF_EPOCH to ISO UTC with milliseconds; the fill value prints as `9999-12-31T23:59:59.999`. */
export function epochToIso(epoch: number): string {
  if (epoch === EPOCH_FILL || !Number.isFinite(epoch)) return formatIsoUtc(FILL_PARTS, 3);
  const unixMs = Math.floor(epochToUnixMs(epoch));
  return formatIsoUtc(breakDownMs(unixMs, 0), 3);
}

/** ISO UTC to CDF_EPOCH (fraction beyond milliseconds is kept as a fractional millisecond). */
export function isoToEpoch(iso: string): number {
  const parts = parseIsoUtc(iso);
  return unixMsToEpoch(secondsSinceUnix(parts) * 1000 + parts.picoseconds / 1e9);
}

/** CDF_EPOCH16 (seconds since 0000-01-01, picoseconds) to ISO UTC with 12 fraction digits. */
export function epoch16ToIso(seconds: number, picoseconds: number): string {
  if (seconds === EPOCH_FILL || !Number.isFinite(seconds) || !Number.isFinite(picoseconds)) {
    return formatIsoUtc(FILL_PARTS, 12);
  }
  const unixSeconds = Math.floor(seconds) - EPOCH_UNIX_ORIGIN_MS / 1000;
  return formatIsoUtc(breakDownMs(unixSeconds * 1000, Math.max(0, Math.trunc(picoseconds))), 12);
}

/** ISO UTC (up to 12 fraction digits) to CDF_EPOCH16 `[seconds, picoseconds]`. */
export function isoToEpoch16(iso: string): [number, number] {
  const parts = parseIsoUtc(iso);
  return [secondsSinceUnix(parts) + EPOCH_UNIX_ORIGIN_MS / 1000, parts.picoseconds];
}

/** CDF_EPOCH16 to Unix milliseconds (fractional). */
export function epoch16ToUnixMs(seconds: number, picoseconds: number): number {
  return (seconds - EPOCH_UNIX_ORIGIN_MS / 1000) * 1000 + picoseconds / 1e9;
}

function secondsSinceUnix(parts: UtcParts): number {
  const day = daysFromCivil(parts.year, parts.month, parts.day);
  return day * 86_400 + parts.hour * 3600 + parts.minute * 60 + parts.second;
}

function breakDownMs(unixMs: number, picosecondsBeyondMs: number): UtcParts {
  const day = Math.floor(unixMs / MS_PER_DAY);
  const msOfDay = unixMs - day * MS_PER_DAY;
  const secondOfDay = Math.floor(msOfDay / 1000);
  return {
    ...civilFromDays(day),
    hour: Math.floor(secondOfDay / 3600),
    minute: Math.floor(secondOfDay / 60) % 60,
    second: secondOfDay % 60,
    picoseconds: (msOfDay - secondOfDay * 1000) * 1e9 + picosecondsBeyondMs,
  };
}
