import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CdfUsageError } from '../errors/cdf-usage-error.js';
import { BUNDLED_LEAP_SECONDS_TABLE, defaultLeapSecondTable, LEAP_SECONDS_TABLE_ENV } from './default-leap-second-table.js';
import { LeapSecondTable } from './leap-second-table.js';
import { isoToTt2000, tt2000ToIso } from './tt2000-converter.js';

const bundledText = readFileSync(BUNDLED_LEAP_SECONDS_TABLE, 'utf8');
/** The bundled table without its last row (the 2017-01-01 leap second). */
const before2017 = LeapSecondTable.parse(bundledText.replace(/^\s*2017\s+1\s+1.*$/m, ''), 'without 2017');
/** The bundled table with an invented leap second at the end of 2029. */
const with2030 = LeapSecondTable.parse(`${bundledText}\n  2030   1    1   38.0            0.0  0.0\n`, 'with 2030');

describe('the leap-second table is data', () => {
  afterEach(() => {
    delete process.env[LEAP_SECONDS_TABLE_ENV];
  });

  it('loads the bundled NASA table: 28 leap-second rows after 14 pre-1972 drift rows', () => {
    const table = defaultLeapSecondTable();
    expect(table.entries).toHaveLength(42);
    expect(table.driftRowCount).toBe(14);
    expect(table.entries.at(-1)).toMatchObject({ year: 2017, month: 1, day: 1, taiMinusUtc: 37 });
  });

  it('converts with a table passed by the caller', () => {
    expect(() => isoToTt2000('2016-12-31T23:59:60', before2017)).toThrow(CdfUsageError);
    const tt = isoToTt2000('2020-01-01T00:00:00');
    expect(tt2000ToIso(tt, before2017)).toBe('2020-01-01T00:00:01.000000000');
    expect(isoToTt2000('2029-12-31T23:59:60', with2030) - isoToTt2000('2029-12-31T23:59:59', with2030)).toBe(1_000_000_000n);
  });

  it('uses the file named by CDF_LEAPSECONDSTABLE, as the NASA library does', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'leap-'));
    const file = path.join(dir, 'CDFLeapSeconds.txt');
    writeFileSync(file, `${bundledText}\n  2030   1    1   38.0            0.0  0.0\n`);
    process.env[LEAP_SECONDS_TABLE_ENV] = file;
    expect(defaultLeapSecondTable().source).toBe(file);
    expect(tt2000ToIso(isoToTt2000('2029-12-31T23:59:60.25'))).toBe('2029-12-31T23:59:60.250000000');
    delete process.env[LEAP_SECONDS_TABLE_ENV];
    expect(defaultLeapSecondTable().source).toBe(BUNDLED_LEAP_SECONDS_TABLE);
  });

  it('rejects a malformed table with the line that is wrong', () => {
    expect(() => LeapSecondTable.parse('2017 1 1 37.0 0.0', 'short.txt')).toThrow(/short\.txt:1/);
    expect(() => LeapSecondTable.parse('; only comments\n', 'empty.txt')).toThrow(CdfUsageError);
    expect(() => LeapSecondTable.parse('2017 1 1 37 0 0\n2016 1 1 36 0 0', 'order.txt')).toThrow(/increasing/);
    expect(() => LeapSecondTable.load('/nonexistent/table.txt')).toThrow(CdfUsageError);
  });
});
