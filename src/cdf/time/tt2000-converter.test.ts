import { describe, expect, it } from 'vitest';
import { CdfUsageError } from '../errors/cdf-usage-error.js';
import { isoToTt2000, tt2000ToIso, tt2000ToUnixMs, unixMsToTt2000 } from './tt2000-converter.js';
import { TT2000_FILL, TT2000_PAD } from './tt2000-scale.js';

// Golden vectors from the reference (cdflib computed them, JCDF printed the same strings).
const GOLDEN: Array<[bigint, string]> = [
  [0n, '2000-01-01T11:58:55.816000000'],
  [64_184_000_000n, '2000-01-01T12:00:00.000000000'],
  [488_980_867_183_999_999n, '2015-06-30T23:59:59.999999999'],
  [488_980_867_184_000_000n, '2015-06-30T23:59:60.000000000'],
  [488_980_868_184_000_000n, '2015-07-01T00:00:00.000000000'],
  [536_500_868_684_000_000n, '2016-12-31T23:59:60.500000000'],
  [536_500_869_184_000_000n, '2017-01-01T00:00:00.000000000'],
  [-883_655_957_816_000_000n, '1972-01-01T00:00:00.000000000'],
  [498_272_793_048_243_059n, '2015-10-16T13:05:24.864243059'],
  [315_576_066_184_000_000n, '2010-01-01T00:00:00.000000000'],
];

describe('TT2000 <-> UTC', () => {
  it.each(GOLDEN)('converts %s to %s and back', (tt, iso) => {
    expect(tt2000ToIso(tt)).toBe(iso);
    expect(isoToTt2000(iso)).toBe(tt);
  });

  it('counts the leap second at the end of 2015-06-30 as a real second', () => {
    const before = isoToTt2000('2015-06-30T23:59:59');
    expect(isoToTt2000('2015-06-30T23:59:60') - before).toBe(1_000_000_000n);
    expect(isoToTt2000('2015-07-01T00:00:00') - before).toBe(2_000_000_000n);
    expect(tt2000ToIso(before + 1_999_999_999n)).toBe('2015-06-30T23:59:60.999999999');
  });

  it('counts the leap second at the end of 2016-12-31 and prints it as 23:59:60', () => {
    const leap = isoToTt2000('2016-12-31T23:59:60.123456789');
    expect(tt2000ToIso(leap)).toBe('2016-12-31T23:59:60.123456789');
    expect(isoToTt2000('2017-01-01T00:00:00') - isoToTt2000('2016-12-31T23:59:59')).toBe(2_000_000_000n);
  });

  it('rejects 23:59:60 on a day without a leap second', () => {
    expect(() => isoToTt2000('2016-06-30T23:59:60')).toThrow(CdfUsageError);
  });

  it('round-trips every millisecond-spaced instant of a pseudo-random sample from 1972 to 2040', () => {
    let state = 12345;
    const random = (): number => ((state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const start = isoToTt2000('1972-01-01T00:00:00');
    const span = Number(isoToTt2000('2040-01-01T00:00:00') - start);
    for (let i = 0; i < 2000; i++) {
      const tt = start + BigInt(Math.floor(random() * span)) + BigInt(i);
      expect(isoToTt2000(tt2000ToIso(tt))).toBe(tt);
    }
  });

  it('prints the fill and pad values as NASA does', () => {
    expect(tt2000ToIso(TT2000_FILL)).toBe('9999-12-31T23:59:59.999999999');
    expect(tt2000ToIso(TT2000_PAD)).toBe('0000-01-01T00:00:00.000000000');
  });

  it('accepts a trailing Z, fewer fraction digits and a date alone', () => {
    expect(isoToTt2000('2010-01-01T00:00:00Z')).toBe(315_576_066_184_000_000n);
    expect(isoToTt2000('2010-01-01')).toBe(315_576_066_184_000_000n);
    expect(isoToTt2000('2015-10-16T13:05:24.864243059')).toBe(498_272_793_048_243_059n);
    expect(() => isoToTt2000('2015-13-01')).toThrow(CdfUsageError);
  });
});

describe('TT2000 <-> Unix milliseconds', () => {
  it('converts to Unix milliseconds with leap seconds removed', () => {
    expect(tt2000ToUnixMs(isoToTt2000('2015-07-01T00:00:00'))).toBe(Date.UTC(2015, 6, 1));
    expect(tt2000ToUnixMs(isoToTt2000('2015-10-16T13:05:24.864'))).toBe(Date.UTC(2015, 9, 16, 13, 5, 24, 864));
  });

  it('reads an instant inside a leap second as the following midnight, so time never runs backwards', () => {
    expect(tt2000ToUnixMs(isoToTt2000('2016-12-31T23:59:60.700'))).toBe(Date.UTC(2017, 0, 1));
  });

  it('reads fill and pad as NaN', () => {
    expect(tt2000ToUnixMs(TT2000_FILL)).toBeNaN();
    expect(tt2000ToUnixMs(TT2000_PAD)).toBeNaN();
  });

  it('converts Unix milliseconds to TT2000, keeping the fraction to the precision of a double (< 1 µs)', () => {
    expect(unixMsToTt2000(Date.UTC(2010, 0, 1))).toBe(315_576_066_184_000_000n);
    const tt = unixMsToTt2000(Date.UTC(2015, 9, 16, 13, 5, 24, 864) + 0.243059);
    const difference = tt - 498_272_793_048_243_059n;
    expect(difference < 1000n && difference > -1000n).toBe(true);
  });
});
