import { describe, expect, it } from 'vitest';
import { CdfWriteError } from './cdf-write-error.js';
import { encodeValues } from './value-encoder.js';
import { writerDataType } from './writer-data-types.js';

const where = { file: 'x.cdf', variable: 'v' };

function encode(type: string, values: ArrayLike<unknown>, numElems = 1): Uint8Array {
  return encodeValues(writerDataType(type), numElems, values, where);
}

function errorOf(run: () => unknown): CdfWriteError {
  try {
    run();
  } catch (error) {
    if (error instanceof CdfWriteError) return error;
    throw error;
  }
  throw new Error('expected a CdfWriteError');
}

describe('encodeValues', () => {
  it('encodes integers as little-endian bytes of the target type', () => {
    expect([...encode('INT2', [1, -2])]).toEqual([1, 0, 0xfe, 0xff]);
    expect([...encode('UINT4', [0x01020304])]).toEqual([4, 3, 2, 1]);
  });

  it('shares the memory of a typed array that already has the target type', () => {
    const values = new Float32Array([1.5, 2.5]);
    const bytes = encode('REAL4', values);
    expect(bytes.buffer).toBe(values.buffer);
    expect(new Float32Array(bytes.buffer, bytes.byteOffset, 2)).toEqual(values);
  });

  it('takes bigints and safe integers for TIME_TT2000', () => {
    const bytes = encode('TIME_TT2000', [-(2n ** 63n), 5]);
    expect(new BigInt64Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + 16))).toEqual(new BigInt64Array([-(2n ** 63n), 5n]));
  });

  it('rounds REAL4 values to float32 and keeps NaN', () => {
    const out = new Float32Array(encode('REAL4', [0.1, Number.NaN]).slice().buffer);
    expect(out[0]).toBe(Math.fround(0.1));
    expect(out[1]).toBeNaN();
  });

  it('NUL-pads strings shorter than NumElems', () => {
    expect([...encode('CHAR', ['ab', 'c'], 3)]).toEqual([97, 98, 0, 99, 0, 0]);
  });

  it('rejects a fraction for an integer type, naming the value and its index', () => {
    const error = errorOf(() => encode('INT4', [1, 3.5]));
    expect(error.kind).toBe('wrong-value-type');
    expect(error.details.index).toBe(1);
    expect(error.message).toContain('value 3.5');
  });

  it('rejects an integer outside the range of the type', () => {
    const error = errorOf(() => encode('UINT1', [256]));
    expect(error.kind).toBe('value-out-of-range');
    expect(error.message).toContain('0..255');
  });

  it('rejects a number that is not a safe integer for INT8', () => {
    expect(errorOf(() => encode('INT8', [2 ** 60])).kind).toBe('wrong-value-type');
  });

  it('rejects a bigint outside the signed 64-bit range', () => {
    expect(errorOf(() => encode('INT8', [2n ** 63n])).kind).toBe('value-out-of-range');
  });

  it('rejects a string for a numeric type and a number for CHAR', () => {
    expect(errorOf(() => encode('DOUBLE', ['1'])).kind).toBe('wrong-value-type');
    expect(errorOf(() => encode('CHAR', [1], 4)).kind).toBe('wrong-value-type');
  });

  it('rejects a string longer than NumElems, counting UTF-8 bytes', () => {
    const error = errorOf(() => encode('CHAR', ['ok', 'héllo'], 5));
    expect(error.kind).toBe('char-too-long');
    expect(error.details.index).toBe(1);
    expect(error.message).toContain('6 bytes');
  });
});
