import { describe, expect, it } from 'vitest';
import {
  EPOCH_FILL,
  epoch16ToIso,
  epoch16ToUnixMs,
  epochToIso,
  epochToUnixMs,
  isoToEpoch,
  isoToEpoch16,
  unixMsToEpoch,
} from './epoch-converter.js';

describe('CDF_EPOCH', () => {
  it('counts milliseconds from 0000-01-01 (1970 and 2000 checked against cdflib and JCDF)', () => {
    expect(epochToIso(62_167_219_200_000)).toBe('1970-01-01T00:00:00.000');
    expect(epochToIso(63_113_904_000_000)).toBe('2000-01-01T00:00:00.000');
    expect(isoToEpoch('2000-01-01T00:00:00.000')).toBe(63_113_904_000_000);
    expect(epochToUnixMs(62_167_219_200_000)).toBe(0);
    expect(unixMsToEpoch(Date.UTC(1999, 2, 5, 5, 6, 7, 100))).toBe(isoToEpoch('1999-03-05T05:06:07.100'));
  });

  it('prints the ISTP fill value as 9999-12-31T23:59:59.999', () => {
    expect(epochToIso(EPOCH_FILL)).toBe('9999-12-31T23:59:59.999');
  });

  it('round-trips years before 100 and the year 0', () => {
    expect(epochToIso(0)).toBe('0000-01-01T00:00:00.000');
    expect(epochToIso(isoToEpoch('0050-06-15T12:00:00.250'))).toBe('0050-06-15T12:00:00.250');
  });
});

describe('CDF_EPOCH16', () => {
  it('splits seconds since 0000-01-01 and picoseconds', () => {
    expect(epoch16ToIso(62_167_219_200, 123_456_789_012)).toBe('1970-01-01T00:00:00.123456789012');
    expect(isoToEpoch16('1970-01-01T00:00:00.123456789012')).toEqual([62_167_219_200, 123_456_789_012]);
    expect(epoch16ToUnixMs(62_167_219_200, 500_000_000_000)).toBe(500);
  });

  it('round-trips the EPOCH16 values of JCDF\'s test file', () => {
    for (const iso of ['2004-11-29T15:55:23.030411522634', '2005-12-29T16:56:24.031444555777']) {
      const [seconds, picoseconds] = isoToEpoch16(iso);
      expect(epoch16ToIso(seconds, picoseconds)).toBe(iso);
    }
  });

  it('prints the fill value as 9999-12-31T23:59:59.999999999999', () => {
    expect(epoch16ToIso(EPOCH_FILL, EPOCH_FILL)).toBe('9999-12-31T23:59:59.999999999999');
  });
});
