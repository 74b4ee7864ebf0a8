/**
 * The MMS selection files as the SITL tools read and write them: fomstr (ABS/SITL) and
 * validation_struct encoded as IDL SAVE files with the reference's tags and IDL types, read back
 * by our reader, by SciPy's readsav (as pymms does) and restored by GDL (as EVA does; skipped when
 * the tool is missing); and the files EVA uploads decoded into the JSON API's bodies.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { idl, plainValue, readIdlSave, writeIdlSave, type IdlStruct } from '../../../src/idl-save/index.js';
import { loadMission } from '../../../src/mission/load-mission.js';
import type { SelectionWindow } from '../../../src/sitl/sitl-types.js';
import { encodeFomStructure, encodeValidationLimits } from './fom-structure-file.js';
import { parseSubmissionFile, submissionFileKind } from './submission-files.js';

const mms = await loadMission('missions/mms');
const T0 = 1812820840;
const window: SelectionWindow = {
  id: 1, cycleStart: T0, numCycles: 6, cycleSeconds: 10, evaluatedAt: new Date('2015-06-12T18:00:00Z'), absFile: 'abs_selections_2015-06-12-18-00-00.sav',
  uplinkedAt: null, uplinkedBy: null, closeTai: null, closesAt: null, mdq: [0, 150, 150, 0, 90, 90],
  selections: [{ start: 1, stop: 2, fom: 150, sourceId: 'ABS', discussion: '' }, { start: 4, stop: 5, fom: 90.5, sourceId: 'ABS', discussion: 'weak' }],
  parameters: { algorithmVersion: 'sdc-abs-1.0', targetBuffers: 700, minSegmentSize: 12, maxSegmentSize: 60, pad: 2, searchRatio: 0.5, fomAverage: 120.25 },
};
const tagTypes = (value: IdlStruct) => Object.fromEntries(Object.entries(value.elements[0]!).map(([tag, v]) => [tag, v.kind === 'struct' ? 'struct' : `${v.type}${v.kind === 'array' ? '[]' : ''}`]));

describe('the ABS and SITL selection files (fomstr)', () => {
  it('carry the reference tags with their IDL types', () => {
    const fomstr = readIdlSave(encodeFomStructure(window, window.selections, { evaluatedAt: window.evaluatedAt })).variables.get('FOMSTR') as IdlStruct;
    expect(tagTypes(fomstr)).toEqual({
      VALID: 'long', ERROR: 'string', ALGVERSION: 'string', SOURCEID: 'string[]', CYCLESTART: 'ulong', NUMCYCLES: 'long', NSEGS: 'long', START: 'long[]', STOP: 'long[]',
      SEGLENGTHS: 'long[]', FOM: 'float[]', NBUFFS: 'long', MDQ: 'float[]', TIMESTAMPS: 'ulong[]', TARGETBUFFS: 'long', FOMAVE: 'float', TARGETRATIO: 'float',
      MINSEGMENTSIZE: 'long', MAXSEGMENTSIZE: 'long', PAD: 'long', SEARCHRATIO: 'float', FOMWINDOWSIZE: 'long', FOMSLOPE: 'float', FOMSKEW: 'float', FOMBIAS: 'float',
      METADATAINFO: 'string', OLDESTAVAILABLEBURSTDATA: 'string', METADATAEVALTIME: 'string', DISCUSSION: 'string[]', OBSSET: 'byte[]', NOTE: 'string', UPLINKFLAG: 'long', EVALSTARTTIME: 'ulong',
    });
    expect(plainValue(fomstr)).toMatchObject({
      VALID: 1, SOURCEID: ['ABS', 'ABS'], CYCLESTART: T0, NUMCYCLES: 6, NSEGS: 2, START: [1, 4], STOP: [2, 5], SEGLENGTHS: [2, 2], FOM: [150, 90.5], NBUFFS: 4,
      TIMESTAMPS: [T0, T0 + 10, T0 + 20, T0 + 30, T0 + 40, T0 + 50], TARGETBUFFS: 700, PAD: 2, SEARCHRATIO: 0.5, METADATAEVALTIME: '2015-163T18:00:00', DISCUSSION: ['', 'weak'], OBSSET: [15, 15], UPLINKFLAG: 0,
    });
  });

  it('hold one placeholder per selection tag when there is no selection (IDL has no empty arrays), NSEGS 0', () => {
    const fomstr = plainValue(readIdlSave(encodeFomStructure(window, [], { evaluatedAt: window.evaluatedAt })).variables.get('FOMSTR')!);
    expect(fomstr).toMatchObject({ VALID: 1, NSEGS: 0, NBUFFS: 0, START: [-1], STOP: [-1], FOM: [0], SOURCEID: [''] });
  });

  it('and validation_struct carry the tools\' tags: inclusive type ranges from the half-open categories', () => {
    const file = encodeValidationLimits(mms.config.sitl!);
    expect(file.name).toBe('fom_validation.sav');
    const validation = readIdlSave(file.content).variables.get('VALIDATION_STRUCT') as IdlStruct;
    expect(plainValue(validation)).toMatchObject({ FOM_GMAX: 200, FOM_BOUNDS: [0, 255], SEG_BOUNDS: [1, 60], BUFF_MAX: 1000, P1_PERCENT: 33, NOMINAL_SEG_RANGE: [2, 35], TYPE1_RANGE: [150, 199], TYPE2_RANGE: [100, 149], TYPE3_RANGE: [50, 99], TYPE4_RANGE: [0, 49], FOM_DEL_MAX: 100, FOM_NEW_JUSTIFY: 150 });
    expect(tagTypes(validation)).toMatchObject({ FOM_GMAX: 'int', FOM_BOUNDS: 'int[]', BUFF_MAX: 'float', P1_PERCENT: 'float', FOM_MOD_PERCENT: 'float' });
  });
});

const PYTHON = '/usr/bin/python3';
const GDL = '/usr/bin/gdl';
const runs = (file: string, args: string[]) => existsSync(file) && (() => {
  try {
    execFileSync(file, args, { stdio: 'ignore', timeout: 30_000 });
    return true;
  } catch {
    return false;
  }
})();

describe('the published files in the clients\' readers', () => {
  it.skipIf(!runs(PYTHON, ['-c', 'import scipy.io']))('pymms\'s readsav finds the segments: start/stop indices into TIMESTAMPS', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'fomstr-'));
    try {
      await writeFile(path.join(dir, 'abs.sav'), encodeFomStructure(window, window.selections, { evaluatedAt: window.evaluatedAt }));
      const program = 'import sys; from scipy.io import readsav; f = readsav(sys.argv[1])["fomstr"][0]; print(f["nsegs"], [int(f["timestamps"][s]) for s in f["start"]], list(map(float, f["fom"])), f["timestamps"].dtype.kind + str(f["timestamps"].dtype.itemsize), f["sourceid"][0].decode())';
      expect(execFileSync(PYTHON, ['-c', program, path.join(dir, 'abs.sav')], { encoding: 'utf8' }).trim()).toBe(`2 [${T0 + 10}, ${T0 + 40}] [150.0, 90.5] u4 ABS`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it.skipIf(!runs(GDL, ['-quiet', '-e', 'exit']))('EVA\'s restore (GDL) finds the segments and the validation limits', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'fomstr-'));
    try {
      await writeFile(path.join(dir, 'abs.sav'), encodeFomStructure(window, window.selections, { evaluatedAt: window.evaluatedAt }));
      await writeFile(path.join(dir, 'fom_validation.sav'), encodeValidationLimits(mms.config.sitl!).content);
      await writeFile(path.join(dir, 'check.pro'), [
        "restore, 'abs.sav'",
        "restore, 'fom_validation.sav'",
        "print, fomstr.nsegs, fomstr.timestamps[fomstr.start[1]], fomstr.fom[1], fomstr.seglengths[0], format='(I0, 1x, I0, 1x, F0.1, 1x, I0)'",
        "print, validation_struct.fom_bounds, validation_struct.buff_max, validation_struct.type1_range, format='(I0, 1x, I0, 1x, F0.1, 1x, I0, 1x, I0)'",
        'exit',
      ].join('\n'));
      const out = execFileSync(GDL, ['-quiet', 'check.pro'], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
      expect(out.trim().split('\n').map((l) => l.trim())).toEqual([`2 ${T0 + 40} 90.5 2`, '0 255 1000.0 150 199']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('the submission files EVA uploads', () => {
  it('are known by their names: sitl_selections_<time>.sav and bdm_sitl_changes[_]<time>.sav', () => {
    expect(['sitl_selections_2015-06-12-18-30-00.sav', 'bdm_sitl_changes2015-06-12-18-30-00.sav', 'bdm_sitl_changes_2015-06-12-18-30-00.sav', 'sitl_selections.sav', 'sitl_selections_2015-06-12-18-30-00.json'].map(submissionFileKind))
      .toEqual(['selections', 'back-structure', 'back-structure', undefined, undefined]);
  });

  it('decode a SITL FOMStr into the submission body: the first NSEGS selections, uplink, close and note, the window by its cycles and evaluation', () => {
    const abs = readIdlSave(encodeFomStructure(window, window.selections, { evaluatedAt: window.evaluatedAt })).variables.get('FOMSTR') as IdlStruct;
    // EVA keeps its own types: TIMESTAMPS as doubles, NSEGS as an INT.
    const eva = writeIdlSave({ fomstr: idl.struct({ ...abs.elements[0]!, NSEGS: idl.int(1), TIMESTAMPS: idl.doubleArray([T0, T0 + 10]), UPLINKFLAG: idl.int(1), EVALSTARTTIME: idl.ulong(T0 + 600), NOTE: idl.string('orbit 101') }) });
    expect(parseSubmissionFile('selections', eva)).toEqual({
      kind: 'selections',
      window: { cycleStart: T0, numCycles: 6, evaluatedAt: window.evaluatedAt },
      body: { selections: [{ start: 1, stop: 2, fom: 150, discussion: '' }], uplink: true, closeTai: T0 + 600, note: 'orbit 101' },
    });
  });

  it('decode back-structure changes into edits: New adds, Modified changes the FOM, Deleted deletes', () => {
    const row = (id: number, status: string, extra = {}) => ({ ID: idl.string('0'), DATASEGMENTID: idl.long(id), STARTTIME: idl.ulong(T0), ENDTIME: idl.ulong(T0 + 110), FOM: idl.float(60), STATUS: idl.string(status), SOURCE: idl.string('sam(EVA)'), OBSERVATORYID: idl.string('MMS1,MMS3'), DISCUSSION: idl.string(''), ...extra });
    const file = writeIdlSave({ fomstr: idl.structArray([row(-1, 'New', { DISCUSSION: idl.string('new one') }), row(1013, 'Modified'), row(1014, 'Deleted')]) });
    expect(parseSubmissionFile('back-structure', file)).toEqual({
      kind: 'back-structure',
      body: { edits: [{ change: 'add', taiStart: T0, taiEnd: T0 + 110, fom: 60, discussion: 'new one', observatories: 'MMS1,MMS3' }, { change: 'modify', segmentId: 1013, fom: 60 }, { change: 'delete', segmentId: 1014 }] },
    });
    expect(() => parseSubmissionFile('back-structure', writeIdlSave({ fomstr: idl.structArray([row(1, 'Held')]) }))).toThrow("FOMSTR[0].STATUS 'Held' is none of New, Modified, Deleted");
  });

  it('say what is missing or wrong', () => {
    expect(() => parseSubmissionFile('selections', writeIdlSave({ other: idl.long(1) }))).toThrow('it holds no variable FOMSTR (it holds OTHER)');
    expect(() => parseSubmissionFile('selections', writeIdlSave({ fomstr: idl.long(1) }))).toThrow('FOMSTR is not a structure');
    expect(() => parseSubmissionFile('selections', writeIdlSave({ fomstr: idl.struct({ NUMCYCLES: idl.long(3) }) }))).toThrow('FOMSTR has neither CYCLESTART and NUMCYCLES nor TIMESTAMPS: it names no window');
    const short = idl.struct({ CYCLESTART: idl.ulong(T0), NUMCYCLES: idl.long(3), NSEGS: idl.long(2), START: idl.longArray([0]), STOP: idl.longArray([0, 1]), FOM: idl.floatArray([1, 2]) });
    expect(() => parseSubmissionFile('selections', writeIdlSave({ fomstr: short }))).toThrow('FOMSTR.START has 1 values, NSEGS says 2');
    expect(() => parseSubmissionFile('selections', writeIdlSave({ fomstr: idl.struct({ CYCLESTART: idl.string('x') }) }))).toThrow('FOMSTR.CYCLESTART is not numeric');
  });
});
