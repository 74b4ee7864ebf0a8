import { describe, expect, it } from 'vitest';
import { loadMission } from '../../src/mission/load-mission.js';
import { FileNameError } from '../../src/mission/file-name-error.js';

const mms = await loadMission('missions/mms');
const parse = (name: string) => mms.grammar.parse(name);

describe('MMS file-name grammar', () => {
  it('parses a daily survey science file into its fields, product, times, version and store key', () => {
    const f = parse('mms1_fgm_srvy_l2_20151016_v4.18.0.cdf');
    expect(f).toMatchObject({
      kind: 'science', spacecraft: 'mms1', instrument: 'fgm', mode: 'srvy', level: 'l2',
      product: 'mms1_fgm_srvy_l2', version: [4, 18, 0], versionLabel: '4.18.0',
      storeKey: 'mms1/fgm/srvy/l2/2015/10/mms1_fgm_srvy_l2_20151016_v4.18.0.cdf',
    });
    expect(f.descriptor).toBeUndefined();
    expect(f.start.toISOString()).toBe('2015-10-16T00:00:00.000Z');
    expect(f.end.toISOString()).toBe('2015-10-17T00:00:00.000Z');
  });

  it('parses a burst file with a descriptor and a YYYYMMDDhhmmss start, filed under its day', () => {
    const f = parse('mms1_fpi_brst_l2_des-moms_20151016130524_v3.4.0.cdf');
    expect(f).toMatchObject({ mode: 'brst', descriptor: 'des-moms', product: 'mms1_fpi_brst_l2_des-moms' });
    expect(f.start.toISOString()).toBe('2015-10-16T13:05:24.000Z');
    expect(f.storeKey).toBe('mms1/fpi/brst/l2/des-moms/2015/10/16/mms1_fpi_brst_l2_des-moms_20151016130524_v3.4.0.cdf');
  });

  it('accepts every level and data rate mode of the mission', () => {
    for (const level of ['l1a', 'l1b', 'ql', 'sitl', 'trig', 'l2pre', 'l2', 'l3']) {
      for (const mode of ['srvy', 'fast', 'slow', 'brst']) {
        const start = mode === 'brst' ? '20151016000000' : '20151016';
        expect(parse(`mms3_scm_${mode}_${level}_scsrvy_${start}_v1.0.0.cdf`)).toMatchObject({ level, mode, spacecraft: 'mms3' });
      }
    }
  });

  it('keeps the same stem for every version of a file and compares versions numerically', () => {
    const a = parse('mms1_fgm_srvy_l2_20151016_v4.110.0.cdf');
    const b = parse('mms1_fgm_srvy_l2_20151016_v4.53.0.cdf');
    expect(a.stem).toBe(b.stem);
    expect(a.version).toEqual([4, 110, 0]);
  });

  it('parses Level 0 telemetry names', () => {
    expect(parse('mms2_fgm_srvy_l0_20151016_v0.0.0.dat')).toMatchObject({ kind: 'telemetry', level: 'l0', product: 'mms2_fgm_srvy_l0' });
  });

  it('parses ancillary names with day-of-year ranges (inclusive end day) and two-digit versions', () => {
    const f = parse('MMS1_DEFEPH_2015289_2015290.V00');
    expect(f).toMatchObject({ kind: 'ancillary', spacecraft: 'mms1', product: 'mms1_defeph', dataType: 'defeph', version: [0], storeKey: 'ancillary/mms1/defeph/MMS1_DEFEPH_2015289_2015290.V00' });
    expect(f.start.toISOString()).toBe('2015-10-16T00:00:00.000Z');
    expect(f.end.toISOString()).toBe('2015-10-18T00:00:00.000Z');
    expect(parse('MMS_DEFQ_2015289_2015289.V01')).toMatchObject({ product: 'defq', version: [1] });
  });

  it.each([
    ['mms5_fgm_srvy_l2_20151016_v4.18.0.cdf', /unknown spacecraft 'mms5'/],
    ['mms1_xyz_srvy_l2_20151016_v4.18.0.cdf', /unknown instrument 'xyz'/],
    ['mms1_fgm_hyper_l2_20151016_v4.18.0.cdf', /unknown mode 'hyper'/],
    ['mms1_fgm_srvy_l9_20151016_v4.18.0.cdf', /unknown level 'l9'/],
    ['mms1_fgm_srvy_l2_20151345_v4.18.0.cdf', /'20151345' is not a valid start time/],
    ['mms1_fgm_srvy_l2_20151016_v4.18.cdf', /matches no file-name pattern/],
    ['mms1_fgm_srvy_l2_20151016_v4.18.0.cdf.part', /matches no file-name pattern/],
    ['MMS1_DEFEPH_2015290_2015289.V00', /end time 2015289 is before its start time/],
    ['MMS1_NOPE_2015289_2015290.V00', /unknown dataType 'nope'/],
    ['MMS1_DEFEPH_2015400_2015401.V00', /not a valid start time/],
    ['../mms1_fgm_srvy_l2_20151016_v4.18.0.cdf', /path separator/],
    ['', /matches no file-name pattern/],
  ])('rejects %s with a reason', (name, reason) => {
    expect(() => parse(name)).toThrow(FileNameError);
    expect(() => parse(name)).toThrow(reason);
  });
});
