import { CdfUsageError } from '../errors/cdf-usage-error.js';
import { daysInMonth } from './civil-date.js';

/** A UTC instant broken down; `second` is 60 inside a leap second. */
export interface UtcParts {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  /** Fraction of the second in picoseconds (0 ≤ ps < 10¹²), exact up to 12 digits. */
  readonly picoseconds: number;
}

const ISO_PATTERN =
  /^(-?\d{4,})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,12}))?)?)?(?:Z|\+00:00)?$/;

/**
 * Parses `YYYY-MM-DD[THH:MM[:SS[.fraction]]][Z]` (up to 12 fraction digits; `60` seconds allowed,
 * the caller checks that the day has a leap second). Throws CdfUsageError `bad-time`.
 */
export function parseIsoUtc(text: string): UtcParts {
  const match = ISO_PATTERN.exec(text.trim());
  if (!match) throw new CdfUsageError('bad-time', `not an ISO 8601 UTC time: "${text}"`);
  const [, y, mo, d, h = '0', mi = '0', s = '0', fraction = ''] = match;
  const parts: UtcParts = {
    year: Number(y),
    month: Number(mo),
    day: Number(d),
    hour: Number(h),
    minute: Number(mi),
    second: Number(s),
    picoseconds: Number(fraction.padEnd(12, '0')),
  };
  const valid =
    parts.month >= 1 &&
    parts.month <= 12 &&
    parts.day >= 1 &&
    parts.day <= daysInMonth(parts.year, parts.month) &&
    parts.hour <= 23 &&
    parts.minute <= 59 &&
    parts.second <= 60 &&
    (parts.second < 60 || (parts.hour === 23 && parts.minute === 59));
  if (!valid) throw new CdfUsageError('bad-time', `time out of range: "${text}"`);
  return parts;
}

/** Formats as `YYYY-MM-DDTHH:MM:SS` plus `digits` fraction digits (3 ms, 9 ns, 12 ps). */
export function formatIsoUtc(parts: UtcParts, digits: 3 | 9 | 12): string {
  const date = `${pad(parts.year, 4)}-${pad(parts.month, 2)}-${pad(parts.day, 2)}`;
  const time = `${pad(parts.hour, 2)}:${pad(parts.minute, 2)}:${pad(parts.second, 2)}`;
  const fraction = pad(parts.picoseconds, 12).slice(0, digits);
  return `${date}T${time}.${fraction}`;
}

function pad(value: number, width: number): string {
  const text = String(Math.abs(value)).padStart(width, '0');
  return value < 0 ? `-${text}` : text;
}
