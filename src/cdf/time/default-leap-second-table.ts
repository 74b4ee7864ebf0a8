import { fileURLToPath } from 'node:url';
import { LeapSecondTable } from './leap-second-table.js';

/** The NASA library's environment variable naming a leap-second table file. */
export const LEAP_SECONDS_TABLE_ENV = 'CDF_LEAPSECONDSTABLE';

/** Path of the table shipped with the library (copied beside the compiled code by the build). */
export const BUNDLED_LEAP_SECONDS_TABLE = fileURLToPath(new URL('./CDFLeapSeconds.txt', import.meta.url));

let cached: { path: string; table: LeapSecondTable } | undefined;

/**
 * The table conversions use when none is passed: the file named by `CDF_LEAPSECONDSTABLE` if set,
 * else the bundled `CDFLeapSeconds.txt`. Loaded once per path; a changed variable is picked up.
 */
export function defaultLeapSecondTable(): LeapSecondTable {
  const path = process.env[LEAP_SECONDS_TABLE_ENV] || BUNDLED_LEAP_SECONDS_TABLE;
  if (cached?.path !== path) cached = { path, table: LeapSecondTable.load(path) };
  return cached.table;
}
