import { describe, expect, it } from 'vitest';
import { dateToTai, formatTableTime, taiToDate } from './tai-seconds.js';

describe('TAI seconds since 1958 and UTC', () => {
  it('reads segment 1013: TAI start 1812820840 is 2015-06-12T17:20:05 UTC (35 leap seconds then)', () => {
    expect(taiToDate(1812820840).toISOString()).toBe('2015-06-12T17:20:05.000Z');
    expect(dateToTai(new Date('2015-06-12T17:20:05Z'))).toBe(1812820840);
    expect(formatTableTime(taiToDate(1812820840))).toBe('2015-06-12 17:20:05');
  });

  it('counts the leap second of 2015-06-30: TAI − UTC goes from 35 to 36 s', () => {
    const before = dateToTai(new Date('2015-06-30T23:59:59Z'));
    const after = dateToTai(new Date('2015-07-01T00:00:00Z'));
    expect(after - before).toBe(2);
    expect(before - (Date.UTC(2015, 5, 30, 23, 59, 59) / 1000 + 378_691_200)).toBe(35);
    expect(after - (Date.UTC(2015, 6, 1) / 1000 + 378_691_200)).toBe(36);
  });

  it('uses 37 s after the leap second of 2016-12-31 and round-trips', () => {
    const t = new Date('2017-03-01T12:00:00Z');
    expect(dateToTai(t) - (t.getTime() / 1000 + 378_691_200)).toBe(37);
    expect(taiToDate(dateToTai(t)).toISOString()).toBe(t.toISOString());
  });
});
