import { HttpRequestError } from '../http-errors.js';

const PATTERN = /^(\d{4})-(\d{2})-(\d{2})(?:[-T ](\d{2})(?:[-:](\d{2})(?:[-:](\d{2})(?:\.(\d{1,6}))?)?)?)?Z?$/;

/**
 * Parses the dates the legacy clients send: `YYYY-MM-DD`, `YYYY-MM-DD-hh`, `YYYY-MM-DD-hh-mm`,
 * `YYYY-MM-DD-hh-mm-ss`, and the ISO forms with `T` and colons, always UTC. With `endOfPeriod`,
 * the last millisecond the text designates (a date-only end covers the whole day), else its first.
 */
export function parseCompatDate(text: string, param: string, endOfPeriod: boolean): Date {
  const match = PATTERN.exec(text.trim());
  if (!match) throw new HttpRequestError('invalid-request', `${param} must look like YYYY-MM-DD, YYYY-MM-DD-hh-mm-ss or YYYY-MM-DDThh:mm:ss, got '${text}'`);
  const [, y, mo, d, h, mi, s, frac] = match;
  const parts = [Number(y), Number(mo) - 1, Number(d), Number(h ?? 0), Number(mi ?? 0), Number(s ?? 0), frac ? Math.floor(Number(`0.${frac}`) * 1000) : 0] as const;
  const start = new Date(Date.UTC(...parts));
  const check = start.getUTCFullYear() === parts[0] && start.getUTCMonth() === parts[1] && start.getUTCDate() === parts[2] && parts[3] < 24 && parts[4] < 60 && parts[5] < 61;
  if (!check) throw new HttpRequestError('invalid-request', `${param} '${text}' is not a valid date`);
  if (!endOfPeriod || frac) return start;
  const unitMs = s !== undefined ? 1000 : mi !== undefined ? 60_000 : h !== undefined ? 3_600_000 : 86_400_000;
  return new Date(start.getTime() + unitMs - 1);
}
