import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { buildProgram } from '../main.js';

const FIXTURES = fileURLToPath(new URL('../../../test/fixtures/cdf/', import.meta.url));

/** Runs `sdc cdf dump ...` in process and returns what it printed (console output is only observed). */
async function dump(...args: string[]): Promise<{ out: string; err: string; exitCode: number | undefined }> {
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((text: string) => void out.push(text));
  vi.spyOn(console, 'error').mockImplementation((text: string) => void err.push(text));
  process.exitCode = undefined;
  await buildProgram().parseAsync(['node', 'sdc', 'cdf', 'dump', ...args]);
  const exitCode = process.exitCode as number | undefined;
  process.exitCode = undefined;
  return { out: out.join('\n'), err: err.join('\n'), exitCode };
}

afterEach(() => vi.restoreAllMocks());

describe('sdc cdf dump', () => {
  it('prints file facts, time range, attributes, variables and first/last values as text', async () => {
    const { out, exitCode } = await dump(FIXTURES + 'psp_fld_l2_mag_rtn_1min_20200104_v02.cdf');
    expect(exitCode).toBeUndefined();
    expect(out).toContain('CDF 3.7.1, encoding 1 (big-endian), column-major');
    expect(out).toContain('Time range (epoch_mag_RTN_1min): 2020-01-04T02:33:30.000000000 .. 2020-01-04T19:33:30.000000000');
    expect(out).toContain('TITLE: "PSP FIELDS Fluxgate Magnetometer (MAG) data"');
    expect(out).toContain('psp_fld_l2_mag_RTN_1min  REAL4  zVariable, shape [118, 3], 118 records, gzip(6)');
    expect(out).toContain('first: "B_R", "B_T", "B_N"');
    expect(out).toContain('UNITS: "nT"');
  });

  it('prints the same summary as JSON with --json', async () => {
    const { out } = await dump('--json', FIXTURES + 'cdfjl_a_sparse_cdf.cdf');
    const summary = JSON.parse(out);
    expect(summary.variables.map((v: { name: string }) => v.name)).toEqual(['pad_default', 'pad_explicit', 'prev', 'pad2d']);
    expect(summary.variables[3]).toMatchObject({ shape: [11, 2], sparseRecords: 'pad', first: [0, 1], last: [10, 11] });
  });

  it('prints times as ISO text and INT8 as decimal text in JSON', async () => {
    const summary = JSON.parse((await dump('--json', FIXTURES + 'jcdf_test.cdf')).out);
    const byName = (name: string) => summary.variables.find((v: { name: string }) => v.name === name);
    expect(byName('tt2000').first).toEqual(['2015-06-30T23:59:58.123456789']);
    expect(byName('newI8').last).toEqual(['9223372036854775807', '-9223372036854775808']);
    expect(byName('ep16').first).toEqual(['2004-11-29T15:55:23.030411522634']);
  });

  it('exits with code 2 and a message naming the file when it is not a CDF', async () => {
    const file = fileURLToPath(import.meta.url);
    const { err, exitCode } = await dump(file);
    expect(exitCode).toBe(2);
    expect(err).toContain(file);
    expect(err).toContain('magic');
  });

  it('exits with code 2 when the file does not exist', async () => {
    const { err, exitCode } = await dump('/nonexistent/file.cdf');
    expect(exitCode).toBe(2);
    expect(err).toContain('cannot open /nonexistent/file.cdf');
  });
});
