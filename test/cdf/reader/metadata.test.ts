import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { openCdf, readCdfMetadata } from '../../../src/cdf/index.js';

const FIXTURES = fileURLToPath(new URL('../../fixtures/cdf/', import.meta.url));

describe('metadata at a glance', () => {
  it('returns global attributes, variables and the TT2000 time range of DEPEND_0', () => {
    const metadata = readCdfMetadata(FIXTURES + 'psp_fld_l2_mag_rtn_1min_20200104_v02.cdf');
    expect(metadata.file).toMatchObject({ version: '3.7.1', littleEndian: false, majority: 'column', fileCompression: 'none' });
    expect(metadata.globalAttributes.find((a) => a.name === 'Logical_source')?.entries[0]?.value).toBe('psp_fld_l2_mag_RTN_1min');
    const magnetic = metadata.variables.find((v) => v.name === 'psp_fld_l2_mag_RTN_1min')!;
    expect(magnetic).toMatchObject({ type: 'REAL4', shape: [118, 3], recordCount: 118, compression: 'gzip', compressionLevel: 6, sparseRecords: 'none' });
    expect(magnetic.attributes['DEPEND_0']?.value).toBe('epoch_mag_RTN_1min');
    expect(metadata.timeRange).toEqual({
      variable: 'epoch_mag_RTN_1min',
      type: 'TIME_TT2000',
      start: '2020-01-04T02:33:30.000000000',
      end: '2020-01-04T19:33:30.000000000',
      startUnixMs: Date.UTC(2020, 0, 4, 2, 33, 30),
      endUnixMs: Date.UTC(2020, 0, 4, 19, 33, 30),
    });
  });

  it('reads no data but the first and last record of the time variable', () => {
    const cdf = openCdf(FIXTURES + 'genesis_3dl2_gim_20040101_v01.cdf');
    const metadata = cdf.metadata();
    expect(cdf.stats.blocksRead).toBe(2);
    expect(metadata.timeRange).toMatchObject({ type: 'EPOCH', start: '2004-01-01T00:00:58.583', end: '2004-01-31T23:59:40.530' });
    cdf.close();
  });

  it('gives no time range for a master CDF, whose variables have no records', () => {
    const metadata = readCdfMetadata(new Uint8Array(readFileSync(FIXTURES + 'ge_h0_cpi_00000000_v01.cdf')));
    expect(metadata.variables.length).toBeGreaterThan(0);
    expect(metadata.variables.every((v) => v.recordCount === 0 || !v.recordVariance)).toBe(true);
    expect(metadata.timeRange).toBeUndefined();
  });

  it('describes whole-file compression, rVariables and CDF 2 files', () => {
    expect(readCdfMetadata(FIXTURES + 'fa_esa_l2_eeb_00000000_v01.cdf').file.fileCompression).toBe('rle');
    expect(readCdfMetadata(FIXTURES + 'cdfpp_rvariable.cdf').variables[0]).toMatchObject({ kind: 'r', name: 'legacy_rvar', type: 'INT4' });
    expect(readCdfMetadata(FIXTURES + 'de2_ion2s_rpa_19830213_v01.cdf').file.version).toBe('2.7.2');
  });
});
