import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { openCdf } from '../../../src/cdf/index.js';

// Records 0-2, 6-7 and 10 are stored; MaxRec = 10 (values from the samples' README).
const cdf = openCdf(fileURLToPath(new URL('../../fixtures/cdf/cdfjl_a_sparse_cdf.cdf', import.meta.url)));
afterAll(() => cdf.close());
const P = -1e30;

function values(name: string, range?: { first: number; last: number }): number[] {
  return Array.from(cdf.read(name, range).values as Float64Array);
}

describe('sparse records (cdfjl_a_sparse_cdf.cdf)', () => {
  it('reads a pad-sparse variable without a declared pad with the default pad (-1e30) in the gaps', () => {
    expect(cdf.variable('pad_default').sparseRecords).toBe('pad');
    expect(values('pad_default')).toEqual([10, 11, 12, P, P, P, 16, 17, P, P, 20]);
  });

  it('reads a pad-sparse variable with its declared pad value (-99) in the gaps', () => {
    expect(cdf.variable('pad_explicit').padValue).toEqual(new Float64Array([-99]));
    expect(values('pad_explicit')).toEqual([10, 11, 12, -99, -99, -99, 16, 17, -99, -99, 20]);
  });

  it('reads a previous-sparse variable with the last stored record repeated in the gaps', () => {
    expect(cdf.variable('prev').sparseRecords).toBe('previous');
    expect(values('prev')).toEqual([10, 11, 12, 12, 12, 12, 16, 17, 17, 17, 20]);
  });

  it('reads a 1-D pad-sparse variable with the pad value in every element of a missing record', () => {
    const data = cdf.read('pad2d');
    expect(data.shape).toEqual([11, 2]);
    expect(Array.from(data.values as Float64Array)).toEqual([
      0, 1, 2, 3, 4, 5, -99, -99, -99, -99, -99, -99, 6, 7, 8, 9, -99, -99, -99, -99, 10, 11,
    ]);
  });

  it('fills a range that starts inside a gap from the stored record before the range', () => {
    expect(values('prev', { first: 4, last: 6 })).toEqual([12, 12, 16]);
    expect(values('prev', { first: 9, last: 9 })).toEqual([17]);
    expect(values('pad_default', { first: 4, last: 6 })).toEqual([P, P, 16]);
  });
});
