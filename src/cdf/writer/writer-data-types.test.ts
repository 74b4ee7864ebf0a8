import { describe, expect, it } from 'vitest';
import { CdfWriteError } from './cdf-write-error.js';
import { writerDataType } from './writer-data-types.js';

describe('writerDataType', () => {
  it('gives the file code, size, value kind and integer range of a type', () => {
    expect(writerDataType('TIME_TT2000')).toMatchObject({ code: 33, size: 8, kind: 'int64' });
    expect(writerDataType('UINT2')).toMatchObject({ code: 12, size: 2, kind: 'integer', min: 0, max: 65535 });
    expect(writerDataType('EPOCH16')).toMatchObject({ code: 32, size: 16, kind: 'epoch16' });
  });

  it('rejects an unknown type with the list of known ones', () => {
    expect(() => writerDataType('REAL16', { variable: 'x' })).toThrowError(
      expect.objectContaining({ kind: 'unknown-type', message: expect.stringContaining('TIME_TT2000') }) as CdfWriteError,
    );
  });
});
