/**
 * The IDL SAVE codec against independent implementations: files we write are read by SciPy's
 * `readsav` (Debian's python3-scipy) and restored by GDL (Debian's gnudatalanguage, an
 * open-source IDL), and files GDL saves, plain and /COMPRESS, are read by our reader. Both are
 * installed by .ci/run; a suite whose tool is missing is skipped.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idl, plainValue, readIdlSave, writeIdlSave } from '../../src/idl-save/index.js';

const PYTHON = '/usr/bin/python3';
const GDL = '/usr/bin/gdl';
const works = (file: string, args: string[]) => {
  if (!existsSync(file)) return false;
  try {
    execFileSync(file, args, { stdio: 'ignore', timeout: 30_000 });
    return true;
  } catch {
    return false;
  }
};
const scipy = works(PYTHON, ['-c', 'import scipy.io']);
const gdl = works(GDL, ['-quiet', '-e', 'exit']);

/** Every basic type the SITL files use, arrays in a structure, a nested structure and an array of structures. */
const FOMSTR = idl.struct({
  VALID: idl.long(1), ALGVERSION: idl.string('abs-1 café'), B: idl.byte(200), BA: idl.byteArray([1, 2, 255]), I: idl.int(-2), IA: idl.intArray([-300, 7]),
  UI: idl.uint(65535), CYCLESTART: idl.ulong(1812824440), TIMESTAMPS: idl.ulongArray([1812824440, 4294967295]), FOM: idl.floatArray([150.5, 90]),
  D: idl.double(-2.5e-10), L64: idl.long64(-123456789012345n), U64: idl.ulong64(18446744073709551615n), SOURCEID: idl.stringArray(['ABS', '', 'sam(EVA)']),
  NEST: idl.struct({ A: idl.long(3), DEEP: idl.struct({ X: idl.doubleArray([0.5, -1], [2]) }) }),
});
const ROWS = idl.structArray([{ ID: idl.string('0'), DATASEGMENTID: idl.long(-1), STARTTIME: idl.ulong(1812820840), FOM: idl.float(60) }, { ID: idl.string('1'), DATASEGMENTID: idl.long(1013), STARTTIME: idl.ulong(0), FOM: idl.float(100) }]);
const GRID = idl.longArray([0, 1, 2, 3, 4, 5], [3, 2]);

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'idl-save-'));
  await writeFile(path.join(dir, 'ours.sav'), writeIdlSave({ fomstr: FOMSTR, rows: ROWS, grid: GRID }));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe.skipIf(!scipy)('SciPy reads the files we write', () => {
  it('gives back every value with its IDL type', () => {
    const program = [
      'import json, sys, numpy as np',
      'from scipy.io import readsav',
      'd = readsav(sys.argv[1])',
      'def conv(v):',
      '    if isinstance(v, bytes): return v.decode("utf-8")',
      '    if isinstance(v, np.recarray) or isinstance(v, np.record): return [dict((n, conv(r[n])) for n in v.dtype.names) for r in (v if isinstance(v, np.recarray) else [v])]',
      '    if isinstance(v, np.ndarray): return {"dtype": v.dtype.kind + str(v.dtype.itemsize) if v.dtype != object else "O", "shape": list(v.shape), "values": [conv(x) for x in v.flatten(order="C")]}',
      '    if isinstance(v, np.generic): return {"dtype": v.dtype.kind + str(v.dtype.itemsize), "value": str(v)}',
      '    return v',
      'print(json.dumps(dict((k, conv(v)) for k, v in d.items())))',
    ].join('\n');
    const out = JSON.parse(execFileSync(PYTHON, ['-c', program, path.join(dir, 'ours.sav')], { encoding: 'utf8' })) as Record<string, unknown>;
    const [f] = out.fomstr as Record<string, unknown>[];
    expect(f).toMatchObject({
      VALID: { dtype: 'i4', value: '1' }, ALGVERSION: 'abs-1 café', B: { dtype: 'u1', value: '200' }, I: { dtype: 'i2', value: '-2' }, UI: { dtype: 'u2', value: '65535' },
      CYCLESTART: { dtype: 'u4', value: '1812824440' }, D: { dtype: 'f8', value: '-2.5e-10' }, L64: { dtype: 'i8', value: '-123456789012345' }, U64: { dtype: 'u8', value: '18446744073709551615' },
    });
    expect(f!.BA).toMatchObject({ dtype: 'u1', values: [{ value: '1' }, { value: '2' }, { value: '255' }] });
    expect(f!.IA).toMatchObject({ dtype: 'i2', values: [{ value: '-300' }, { value: '7' }] });
    expect(f!.TIMESTAMPS).toMatchObject({ dtype: 'u4', values: [{ value: '1812824440' }, { value: '4294967295' }] });
    expect(f!.FOM).toMatchObject({ dtype: 'f4', values: [{ value: '150.5' }, { value: '90.0' }] });
    expect(f!.SOURCEID).toMatchObject({ values: ['ABS', '', 'sam(EVA)'] });
    expect(f!.NEST).toEqual([{ A: { dtype: 'i4', value: '3' }, DEEP: [{ X: { dtype: 'f8', shape: [2], values: [{ dtype: 'f8', value: '0.5' }, { dtype: 'f8', value: '-1.0' }] } }] }]);
    expect((out.rows as Record<string, unknown>[]).map((r) => [r.ID, (r.DATASEGMENTID as { value: string }).value, (r.STARTTIME as { dtype: string }).dtype, (r.FOM as { value: string }).value])).toEqual([['0', '-1', 'u4', '60.0'], ['1', '1013', 'u4', '100.0']]);
    // IDL's [3, 2] (first dimension fastest) is NumPy's shape (2, 3).
    expect(out.grid).toMatchObject({ dtype: 'i4', shape: [2, 3], values: [0, 1, 2, 3, 4, 5].map((v) => ({ dtype: 'i4', value: String(v) })) });
  });
});

describe.skipIf(!gdl)('GDL restores the files we write, and we read the files GDL saves', () => {
  const runGdl = async (name: string, program: string) => {
    await writeFile(path.join(dir, `${name}.pro`), `${program}\nexit\n`);
    return execFileSync(GDL, ['-quiet', `${name}.pro`], { cwd: dir, encoding: 'utf8', timeout: 60_000, stdio: ['ignore', 'pipe', 'ignore'] });
  };

  it('GDL restore gives back the types and values', async () => {
    const out = await runGdl('restore_ours', [
      "restore, 'ours.sav'",
      "print, size(fomstr.valid, /tname), ' ', size(fomstr.timestamps, /tname), ' ', size(fomstr.fom, /tname), ' ', size(fomstr.l64, /tname), ' ', size(fomstr.u64, /tname), ' ', size(fomstr.b, /tname), ' ', size(fomstr.ui, /tname)",
      "print, fomstr.valid, fomstr.cyclestart, fomstr.timestamps, format='(I0, 1x, I0, 1x, I0, 1x, I0)'",
      "print, fomstr.fom, fomstr.d, format='(F0.2, 1x, F0.2, 1x, E0.3)'",
      "print, fomstr.l64, fomstr.u64, format='(I0, 1x, I0)'",
      "print, fomstr.algversion, '|', strjoin(fomstr.sourceid, ','), '|', fomstr.nest.a, fomstr.nest.deep.x, format='(A, A, A, A, I0, 1x, F0.1, 1x, F0.1)'",
      "print, fomstr.b, fomstr.ba, fomstr.i, fomstr.ia, fomstr.ui, format='(9(I0, 1x))'",
      "print, n_elements(rows), rows[1].id, rows[0].datasegmentid, rows[1].datasegmentid, rows[0].starttime, rows[1].fom, format='(I0, 1x, A, 1x, I0, 1x, I0, 1x, I0, 1x, F0.1)'",
      "print, size(grid, /dimensions), grid[2, 1], format='(I0, 1x, I0, 1x, I0)'",
    ].join('\n'));
    expect(out.trim().split('\n').map((l) => l.trim())).toEqual([
      'LONG ULONG FLOAT LONG64 ULONG64 BYTE UINT',
      '1 1812824440 1812824440 4294967295',
      '150.50 90.00 -2.500E-10',
      '-123456789012345 18446744073709551615',
      'abs-1 café|ABS,,sam(EVA)|3 0.5 -1.0',
      '200 1 2 255 -2 -300 7 65535',
      '2 1 -1 1013 1812820840 100.0',
      '3 2 5',
    ]);
  });

  it('our reader reads what GDL saves, plain and compressed', async () => {
    await runGdl('save_gdl', [
      "s = {valid: 1L, sourceid: ['ABS', 'sam(EVA)'], timestamps: ulong([1812824440, 1812824450]), fom: [150.5, 90.0], nsegs: 2, d: 2.25d, l64: -5LL, u64: 18446744073709551615ULL, b: 7b, note: '', nest: {x: [1d, 2d]}}",
      "rows = replicate({id: ' ', fom: 0.5}, 3)",
      "rows[2].id = 'last'",
      "save, s, rows, filename='gdl.sav'",
      "save, s, rows, filename='gdl-compressed.sav', /compress",
    ].join('\n'));
    for (const [name, compressed] of [['gdl.sav', false], ['gdl-compressed.sav', true]] as const) {
      const file = readIdlSave(await readFile(path.join(dir, name)));
      expect(file.compressed).toBe(compressed);
      const s = file.variables.get('S')!;
      expect(s.kind === 'struct' && Object.fromEntries(Object.entries(s.elements[0]!).map(([k, v]) => [k, v.kind === 'struct' ? 'struct' : v.type]))).toEqual({
        VALID: 'long', SOURCEID: 'string', TIMESTAMPS: 'ulong', FOM: 'float', NSEGS: 'int', D: 'double', L64: 'long64', U64: 'ulong64', B: 'byte', NOTE: 'string', NEST: 'struct',
      });
      expect(plainValue(s)).toEqual({ VALID: 1, SOURCEID: ['ABS', 'sam(EVA)'], TIMESTAMPS: [1812824440, 1812824450], FOM: [150.5, 90], NSEGS: 2, D: 2.25, L64: -5n, U64: 18446744073709551615n, B: 7, NOTE: '', NEST: { X: [1, 2] } });
      expect(plainValue(file.variables.get('ROWS')!)).toEqual([{ ID: ' ', FOM: 0.5 }, { ID: ' ', FOM: 0.5 }, { ID: 'last', FOM: 0.5 }]);
    }
  });
});
