import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { openCdf } from '../../../src/cdf/index.js';

const FIXTURES = fileURLToPath(new URL('../../fixtures/cdf/', import.meta.url));
const WAYS = {
  'row-major': 'cdfpp_a_cdf.cdf',
  'column-major': 'cdfpp_a_col_major_cdf.cdf',
  'whole-file GZIP': 'cdfpp_a_compressed_cdf.cdf',
  'whole-file RLE': 'cdfpp_a_rle_compressed_cdf.cdf',
  'GZIP variables': 'cdfpp_a_cdf_with_compressed_vars.cdf',
};

/** Everything a reader returns for a file, in a form toEqual compares exactly. */
function contentOf(file: string): unknown {
  const cdf = openCdf(FIXTURES + file);
  try {
    return {
      globalAttributes: cdf.globalAttributes,
      variables: cdf.variables.map((v) => {
        const { compression, compressionLevel, blockingFactor, ...layoutFree } = v;
        const data = cdf.read(v.name);
        return { ...layoutFree, shape: data.shape, values: data.values };
      }),
    };
  } finally {
    cdf.close();
  }
}

describe('the CDFpp reference content stored five ways', () => {
  it('reads identical attributes, variables and values from all five files', () => {
    const reference = contentOf(WAYS['row-major']);
    for (const [way, file] of Object.entries(WAYS)) {
      expect(contentOf(file), way).toEqual(reference);
    }
  });

  it('reports how each file is stored', () => {
    const facts = Object.values(WAYS).map((file) => {
      const cdf = openCdf(FIXTURES + file);
      const gzipVariables = cdf.variables.filter((v) => v.compression === 'gzip').length;
      cdf.close();
      return [cdf.file.majority, cdf.file.fileCompression, gzipVariables > 0];
    });
    expect(facts).toEqual([
      ['row', 'none', false],
      ['column', 'none', false],
      ['row', 'gzip', false],
      ['row', 'rle', false],
      ['row', 'none', true],
    ]);
  });

  it('returns the 2-D counter of the column-major file in row-major order (value 5·i + j at [i, j])', () => {
    const cdf = openCdf(FIXTURES + WAYS['column-major']);
    const { shape, values } = cdf.read('var3d_counter', { first: 0, last: 0 });
    cdf.close();
    expect(shape).toEqual([1, 3, 5]);
    expect(Array.from(values as ArrayLike<number>)).toEqual(Array.from({ length: 15 }, (_, k) => k));
  });
});
