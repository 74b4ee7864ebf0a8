import { tt2000ToUnixMs, unixMsToTt2000 } from '../cdf/index.js';

/**
 * TAI seconds since 1958-01-01 (the time base of burst metadata and segments) to and from UTC,
 * leap seconds included. TT2000 counts TT nanoseconds from 2000-01-01T12:00:00 TT, which is TAI
 * 1958 + 1 325 419 167.816 s (TT − TAI = 32.184 s), so the leap-second table of the CDF time
 * library does the rest.
 */
const TAI_AT_J2000 = 1_325_419_167.816;

/** The UTC instant of a TAI second count. */
export function taiToDate(tai: number): Date {
  const tt2000 = BigInt(Math.round((tai - TAI_AT_J2000) * 1e3)) * 1_000_000n;
  return new Date(tt2000ToUnixMs(tt2000));
}

/** The TAI second count of a UTC instant (whole seconds, rounded). */
export function dateToTai(date: Date): number {
  return Math.round(Number(unixMsToTt2000(date.getTime())) / 1e9 + TAI_AT_J2000);
}

/** The TAI second count of a TT2000 time (both count uniform seconds: no leap-second table needed). */
export function tt2000ToTai(tt2000: bigint): number {
  return Number(tt2000) / 1e9 + TAI_AT_J2000;
}

/** `YYYY-MM-DD hh:mm:ss` UTC, the time format of the segment table. */
export function formatTableTime(date: Date): string {
  return date.toISOString().slice(0, 19).replace('T', ' ');
}
