import { describe, expect, it } from 'vitest';
import { tt2000ArrayToUnixMs } from './tt2000-array-converter.js';
import { isoToTt2000, tt2000ToUnixMs } from './tt2000-converter.js';
import { TT2000_FILL, TT2000_PAD } from './tt2000-scale.js';

describe('tt2000ArrayToUnixMs', () => {
  it('agrees with the exact scalar conversion across leap seconds, before 1972 and for fill values', () => {
    const instants = [
      '1965-03-01T12:00:00', '1971-12-31T23:59:59', '1972-01-01T00:00:00', '1999-06-01T01:02:03.456789',
      '2015-06-30T23:59:59.999', '2015-06-30T23:59:60', '2015-06-30T23:59:60.999999999', '2015-07-01T00:00:00',
      '2016-12-31T23:59:60.5', '2017-01-01T00:00:00.000000001', '2035-05-05T05:05:05.5',
    ].map((iso) => isoToTt2000(iso));
    const values = new BigInt64Array([...instants, TT2000_FILL, TT2000_PAD, ...instants.reverse()]);
    const fast = tt2000ArrayToUnixMs(values);
    values.forEach((tt, i) => {
      const exact = tt2000ToUnixMs(tt);
      if (Number.isNaN(exact)) expect(fast[i]).toBeNaN();
      else expect(Math.abs(fast[i]! - exact)).toBeLessThan(1e-3);
    });
  });

  it('converts a sorted column that runs through a leap second, value by value as the exact conversion', () => {
    const start = isoToTt2000('2016-12-31T23:59:58');
    const values = BigInt64Array.from({ length: 4001 }, (_, i) => start + BigInt(i) * 1_000_000n);
    const fast = tt2000ArrayToUnixMs(values);
    values.forEach((tt, i) => expect(Math.abs(fast[i]! - tt2000ToUnixMs(tt))).toBeLessThan(1e-3));
    expect(fast[1999]).toBe(Date.UTC(2016, 11, 31, 23, 59, 59, 999));
    expect(fast[2500]).toBe(Date.UTC(2017, 0, 1));
    expect(fast[4000]).toBe(Date.UTC(2017, 0, 1, 0, 0, 1));
  });

  it('writes into a caller-provided output array', () => {
    const out = new Float64Array(2);
    const result = tt2000ArrayToUnixMs(new BigInt64Array([isoToTt2000('2010-01-01'), isoToTt2000('2010-01-02')]), out);
    expect(result).toBe(out);
    expect(Array.from(out)).toEqual([Date.UTC(2010, 0, 1), Date.UTC(2010, 0, 2)]);
  });
});
