import { describe, expect, it } from 'vitest';
import { InvalidStoreKeyError } from './store-errors.js';
import { assertValidKey, assertValidPrefix, isWellFormedRange } from './store-key.js';

describe('store keys', () => {
  it('accepts mission keys, dotted names, spaces and non-ASCII names', () => {
    for (const key of ['mms1/fgm/srvy/l2/2015/10/mms1_fgm_srvy_l2_20151016_v4.18.0.cdf', 'MMS1_DEFEPH_2015289_2015290.V00', '.hidden', 'a/..b/c..', 'é/ß x.txt', 'staging/.sdc-tmp/x']) {
      expect(() => assertValidKey(key), key).not.toThrow();
    }
  });

  it('names the reason when it refuses a key', () => {
    expect(() => assertValidKey('a/../b')).toThrow(/'\.\.' segments/);
    expect(() => assertValidKey('/etc/passwd')).toThrow(/relative/);
    expect(() => assertValidKey('a//b')).toThrow(/empty path segments/);
    expect(() => assertValidKey('a\\b')).toThrow(InvalidStoreKeyError);
    expect(() => assertValidKey('.sdc-tmp/x')).toThrow(/reserved/);
  });

  it('accepts a partial last segment in a prefix but checks the complete ones', () => {
    expect(() => assertValidPrefix('')).not.toThrow();
    expect(() => assertValidPrefix('mms1/fgm/srvy/l2/2015/10/mms1_f')).not.toThrow();
    expect(() => assertValidPrefix('mms1/')).not.toThrow();
    expect(() => assertValidPrefix('.sdc')).not.toThrow();
    expect(() => assertValidPrefix('mms1//fgm/')).toThrow(InvalidStoreKeyError);
    expect(() => assertValidPrefix('../')).toThrow(InvalidStoreKeyError);
  });

  it('calls a range well formed only with integers 0 <= start <= end', () => {
    expect(isWellFormedRange({ start: 0, end: 0 })).toBe(true);
    expect(isWellFormedRange({ start: 5, end: 4 })).toBe(false);
    expect(isWellFormedRange({ start: Number.NaN, end: 4 })).toBe(false);
    expect(isWellFormedRange({ start: 0, end: Number.POSITIVE_INFINITY })).toBe(false);
  });
});
