import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LeapSecondTable, openCdf } from '../../../src/cdf/index.js';
import { CdfWriteError, CdfWriter, writeCdf, type CdfSchema } from '../../../src/cdf/writer/index.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'cdf-writer-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const schema: CdfSchema = {
  variables: [
    { name: 'Epoch', type: 'TIME_TT2000' },
    { name: 'label', type: 'CHAR', numElems: 2, dims: [3], recordVarying: false },
    { name: 'B', type: 'REAL4', dims: [3] },
  ],
};

async function rejection(promise: Promise<unknown>): Promise<CdfWriteError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof CdfWriteError) return error;
    throw error;
  }
  throw new Error('expected a CdfWriteError');
}

describe('CdfWriter', () => {
  it('shows nothing under the final name before close, and the whole file after', async () => {
    const target = path.join(dir, 'out.cdf');
    const writer = await CdfWriter.create(target, schema);
    await writer.appendRecords('Epoch', new BigInt64Array([1n, 2n]));
    expect(readdirSync(dir)).not.toContain('out.cdf');
    await writer.close();
    expect(readdirSync(dir)).toEqual(['out.cdf']);
    const cdf = openCdf(target);
    expect(cdf.read('Epoch').values).toEqual(new BigInt64Array([1n, 2n]));
    cdf.close();
  });

  it('counts appended records, and stores a variable that got none with no records', async () => {
    const target = path.join(dir, 'out.cdf');
    const writer = await CdfWriter.create(target, schema);
    await writer.appendRecords('B', new Float32Array(9));
    expect(writer.recordCount('B')).toBe(3);
    expect(writer.recordCount('Epoch')).toBe(0);
    await writer.close();
    const cdf = openCdf(target);
    expect(cdf.variable('Epoch')).toMatchObject({ recordCount: 0, shape: [0] });
    expect(cdf.read('B').shape).toEqual([3, 3]);
    cdf.close();
  });

  it('stores the pad value (given, or the type default), the blocking factor and the compression level', async () => {
    const target = path.join(dir, 'out.cdf');
    await writeCdf(target, {
      variables: [
        { name: 'given', type: 'INT2', padValue: -5, blockingFactor: 3, values: [1, 2, 3, 4] },
        { name: 'default', type: 'REAL4', compression: { type: 'gzip', level: 9 }, blockingFactor: 2, values: [1, 2, 3] },
      ],
    });
    const cdf = openCdf(target);
    expect(cdf.variable('given')).toMatchObject({ padValue: new Int16Array([-5]), blockingFactor: 3, compression: 'none' });
    expect(cdf.variable('default')).toMatchObject({
      padValue: new Float32Array([-1e30]),
      blockingFactor: 2,
      compression: 'gzip',
      compressionLevel: 9,
    });
    expect(cdf.read('default').values).toEqual(new Float32Array([1, 2, 3]));
    expect(cdf.stats.blocksInflated).toBe(2);
    cdf.close();
  });

  it('deletes its temporary file on abort', async () => {
    const writer = await CdfWriter.create(path.join(dir, 'out.cdf'), schema);
    await writer.appendRecords('B', new Float32Array(6));
    await writer.abort();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('leaves no file at all when writeCdf fails on bad values', async () => {
    const error = await rejection(
      writeCdf(path.join(dir, 'bad.cdf'), { variables: [{ name: 'n', type: 'INT1', values: [1, 200] }] }),
    );
    expect(error.kind).toBe('value-out-of-range');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('refuses a second record for a non-record-varying variable', async () => {
    const writer = await CdfWriter.create(path.join(dir, 'out.cdf'), schema);
    await writer.appendRecords('label', ['x', 'y', 'z']);
    const error = await rejection(writer.appendRecords('label', ['x', 'y', 'z']));
    expect(error.kind).toBe('nrv-already-written');
    expect(error.details.variable).toBe('label');
    await writer.abort();
  });

  it('refuses values that are not whole records, and stays usable after', async () => {
    const target = path.join(dir, 'out.cdf');
    const writer = await CdfWriter.create(target, schema);
    await writer.appendRecords('B', [1, 2, 3]);
    const error = await rejection(writer.appendRecords('B', [4, 5, 6, 7]));
    expect(error.kind).toBe('wrong-shape');
    expect(error.message).toContain('holds 3 value(s)');
    await writer.appendRecords('B', [4, 5, 6]);
    await writer.close();
    const cdf = openCdf(target);
    expect(cdf.read('B').values).toEqual(new Float32Array([1, 2, 3, 4, 5, 6]));
    cdf.close();
  });

  it('refuses a string longer than the variable NumElems', async () => {
    const writer = await CdfWriter.create(path.join(dir, 'out.cdf'), schema);
    const error = await rejection(writer.appendRecords('label', ['Bx', 'By', 'Bzz']));
    expect(error).toMatchObject({ kind: 'char-too-long', details: { variable: 'label', index: 2 } });
    await writer.abort();
  });

  it('refuses an unknown variable and any call after close', async () => {
    const writer = await CdfWriter.create(path.join(dir, 'out.cdf'), schema);
    expect((await rejection(writer.appendRecords('nope', [1]))).kind).toBe('unknown-variable');
    await writer.close();
    expect((await rejection(writer.appendRecords('B', [1, 2, 3]))).kind).toBe('writer-closed');
  });

  it('reports a directory that does not exist as an io-failed error with its cause', async () => {
    const error = await rejection(CdfWriter.create(path.join(dir, 'missing', 'out.cdf'), schema));
    expect(error.kind).toBe('io-failed');
    expect(error.cause).toMatchObject({ code: 'ENOENT' });
  });

  it('stamps GDR LeapSecondLastUpdated with the last leap second of the table', async () => {
    const target = path.join(dir, 'out.cdf');
    const table = LeapSecondTable.parse('1972 1 1 10.0 0.0 0.0\n2017 1 1 37.0 0.0 0.0\n2031 7 1 38.0 0.0 0.0\n');
    await writeCdf(target, { variables: [] }, { leapSecondTable: table });
    const gdrOffset = Number(readFileSync(target).readBigInt64BE(8 + 12));
    expect(readFileSync(target).readInt32BE(gdrOffset + 76)).toBe(20310701);
    await writeCdf(path.join(dir, 'default.cdf'), { variables: [] });
    const cdf = openCdf(path.join(dir, 'default.cdf'));
    expect(cdf.file.leapSecondLastUpdated).toBe(20170101);
    cdf.close();
  });

  it('appends the MD5 of everything before it as the last 16 bytes', async () => {
    const target = path.join(dir, 'out.cdf');
    await writeCdf(target, { variables: [{ name: 'x', type: 'INT2', values: [1, 2, 3] }] }, { md5: true });
    const bytes = readFileSync(target);
    expect(bytes.subarray(-16)).toEqual(createHash('md5').update(bytes.subarray(0, -16)).digest());
  });
});

describe('CdfWriter on a failing disk', () => {
  it('reports the failed write, refuses every later call and leaves no file after abort', async () => {
    const child = path.join(import.meta.dirname, 'file-size-limit-child.ts');
    const stdout = await new Promise<string>((resolve, reject) => {
      // A 1 MiB file size limit (ulimit -f counts 1 KiB blocks); each append brings 2 MiB.
      execFile('bash', ['-c', `ulimit -f 1024 && exec "${process.execPath}" --import tsx "${child}" "${dir}"`], (error, out, err) =>
        error ? reject(new Error(`${error.message}\n${err}`)) : resolve(out),
      );
    });
    expect(JSON.parse(stdout)).toEqual({
      results: ['io-failed', 'writer-closed', 'writer-closed', 'writer-closed', 'writer-closed'],
      left: [],
    });
  });
});
