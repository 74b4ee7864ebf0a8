import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCdf, writeCdf } from '../../../src/cdf/index.js';
import { getInt32, mapRecords } from './record-map.js';

const RECORDS = 20_000;
const PER_BLOCK = 10;
const values = Float64Array.from({ length: RECORDS }, (_, i) => i * 0.5);
let dir: string;
let gzipFile: string;
let plainFile: string;

// Files come from the project's writer: 2,000 blocks of 10 records, indexed by a multi-level VXR tree.
beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'cdf-range-'));
  gzipFile = path.join(dir, 'gzip.cdf');
  plainFile = path.join(dir, 'plain.cdf');
  const variable = { name: 'x', type: 'REAL8' as const, values, blockingFactor: PER_BLOCK };
  await writeCdf(gzipFile, { variables: [{ ...variable, compression: { type: 'gzip' } }] });
  await writeCdf(plainFile, { variables: [variable] });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('reading a range of records', () => {
  it('reads a variable indexed by a multi-level VXR tree', () => {
    const bytes = new Uint8Array(readFileSync(gzipFile));
    const records = mapRecords(bytes);
    const vxrs = new Set(records.filter((r) => r.type === 6).map((r) => r.offset));
    const pointsToVxr = records
      .filter((r) => r.type === 6)
      .some((r) => {
        const entries = getInt32(bytes, r.offset + 20);
        const view = new DataView(bytes.buffer);
        return Array.from({ length: getInt32(bytes, r.offset + 24) }, (_, i) =>
          Number(view.getBigInt64(r.offset + 28 + 8 * entries + 8 * i, false)),
        ).some((target) => vxrs.has(target));
      });
    expect(pointsToVxr).toBe(true);
    const cdf = openCdf(gzipFile);
    expect(cdf.read('x').values).toEqual(values);
    cdf.close();
  });

  it('inflates only the compressed blocks that hold the range', () => {
    const cdf = openCdf(gzipFile);
    const data = cdf.read('x', { first: 1234, last: 1256 });
    expect(cdf.stats).toMatchObject({ blocksInflated: 3, blocksRead: 3, bytesInflated: 3 * PER_BLOCK * 8 });
    expect(data.firstRecord).toBe(1234);
    expect(data.shape).toEqual([23]);
    expect(data.values).toEqual(values.slice(1234, 1257));
    cdf.read('x', { first: RECORDS - 1, last: RECORDS - 1 });
    expect(cdf.stats.blocksInflated).toBe(4);
    cdf.close();
  });

  it('copies only the plain blocks that hold the range, from a file opened by path', () => {
    const cdf = openCdf(plainFile);
    const data = cdf.read('x', { first: 15, last: 35 });
    expect(cdf.stats).toMatchObject({ blocksRead: 3, blocksInflated: 0 });
    expect(data.values).toEqual(values.slice(15, 36));
    cdf.close();
  });
});
