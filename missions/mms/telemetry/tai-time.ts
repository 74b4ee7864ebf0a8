import { unixMsToTt2000 } from '../../../src/cdf/index.js';

/**
 * Spacecraft time is TAI seconds since 1958-01-01. TT2000 counts TT nanoseconds since
 * J2000 (2000-01-01T12:00:00 TT = TAI 2000-01-01T11:59:27.816), and TT - TAI is a constant
 * 32.184 s, so the conversion needs no leap-second table.
 */

export function taiToTt2000(taiSeconds: number): bigint {
  const whole = Math.floor(taiSeconds);
  const fraction = taiSeconds - whole;
  return (BigInt(whole) - 1_325_419_167n) * 1_000_000_000n + BigInt(Math.round((fraction - 0.816) * 1e9));
}


/** TAI seconds since 1958 of a UTC instant (Unix ms), leap seconds included. */
export function unixMsToTai(unixMs: number): number {
  return Number(unixMsToTt2000(unixMs)) / 1e9 + 1_325_419_167.816;
}
