import { describe, expect, it } from 'vitest';
import { ColumnMajorTransposer } from './column-major-transposer.js';

describe('ColumnMajorTransposer', () => {
  it('is not needed for records of fewer than two dimensions', () => {
    expect(ColumnMajorTransposer.forDims([], 4)).toBeUndefined();
    expect(ColumnMajorTransposer.forDims([7], 4)).toBeUndefined();
  });

  it('stores a [3,5] record with the first dimension fastest, as the NASA library does', () => {
    const values = Int32Array.from({ length: 30 }, (_, i) => i % 15);
    const bytes = ColumnMajorTransposer.forDims([3, 5], 4)!.transpose(new Uint8Array(values.buffer));
    const out = Array.from(new Int32Array(bytes.buffer));
    const record = [0, 5, 10, 1, 6, 11, 2, 7, 12, 3, 8, 13, 4, 9, 14];
    expect(out).toEqual([...record, ...record]);
  });

  it('moves 16-byte EPOCH16 elements and odd-sized strings whole', () => {
    const pairs = Float64Array.from({ length: 8 }, (_, i) => i);
    const moved = new Float64Array(ColumnMajorTransposer.forDims([2, 2], 16)!.transpose(new Uint8Array(pairs.buffer)).buffer);
    expect(Array.from(moved)).toEqual([0, 1, 4, 5, 2, 3, 6, 7]);
    const text = new TextEncoder().encode('aaabbbcccdddeeefff');
    const strings = ColumnMajorTransposer.forDims([3, 2], 3)!.transpose(text);
    expect(new TextDecoder().decode(strings)).toBe('aaaccceeebbbdddfff');
  });
});
