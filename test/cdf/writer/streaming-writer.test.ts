import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, describe, expect, it } from 'vitest';
import { openCdf } from '../../../src/cdf/index.js';
import { CdfWriter, writeCdf, type CdfSchema } from '../../../src/cdf/writer/index.js';

const dir = mkdtempSync(path.join(tmpdir(), 'cdf-stream-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const RECORDS = 100_000;
const epoch = BigInt64Array.from({ length: RECORDS }, (_, i) => 536500869184000000n + BigInt(i) * 31_250_000n);
const b = Float32Array.from({ length: 3 * RECORDS }, (_, i) => Math.sin(i / 100) * 50);
const counts = Uint16Array.from({ length: 4 * RECORDS }, (_, i) => (i * 7) % 65536);
const quality = Array.from({ length: RECORDS }, (_, i) => (i % 3 === 0 ? 'good' : 'bad'));

const schema: CdfSchema = {
  globalAttributes: { Project: 'STP>Solar-Terrestrial Physics' },
  variables: [
    { name: 'Epoch', type: 'TIME_TT2000' },
    { name: 'B', type: 'REAL4', dims: [3], compression: { type: 'gzip', level: 4 }, attributes: { DEPEND_0: 'Epoch' } },
    { name: 'counts', type: 'UINT2', dims: [2, 2], blockingFactor: 1000 },
    { name: 'quality', type: 'CHAR', numElems: 4 },
  ],
};

/** True when two typed arrays hold the same bytes (one memcmp: deep equality is slow on 10^5 values). */
function sameBytes(a: ArrayBufferView | string[], b: ArrayBufferView): boolean {
  if (Array.isArray(a)) return false;
  const bytes = (v: ArrayBufferView) => Buffer.from(v.buffer, v.byteOffset, v.byteLength);
  return a.constructor === b.constructor && bytes(a).equals(bytes(b));
}

/** Deterministic chunk sizes from 1 to 4999 records. */
function* chunks(total: number): Generator<[number, number]> {
  let seed = 12345;
  for (let first = 0; first < total; ) {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    const size = Math.min(total - first, 1 + (seed % 4999));
    yield [first, first + size];
    first += size;
  }
}

describe('streaming with CdfWriter', () => {
  it('writes, from chunks of every size, the same file as writeCdf in one go', async () => {
    const streamed = path.join(dir, 'streamed.cdf');
    const writer = await CdfWriter.create(streamed, schema, { md5: true });
    for (const [first, end] of chunks(RECORDS)) {
      await writer.appendRecords('Epoch', epoch.subarray(first, end));
      await writer.appendRecords('B', b.subarray(3 * first, 3 * end));
      await writer.appendRecords('counts', counts.subarray(4 * first, 4 * end));
      await writer.appendRecords('quality', quality.slice(first, end));
    }
    await writer.close();

    const whole = path.join(dir, 'whole.cdf');
    const values = { Epoch: epoch, B: b, counts, quality };
    await writeCdf(whole, { ...schema, variables: schema.variables.map((v) => ({ ...v, values: values[v.name as keyof typeof values] })) }, { md5: true });

    const cdf = openCdf(streamed, { verifyChecksum: true });
    expect(sameBytes(cdf.read('Epoch').values, epoch)).toBe(true);
    expect(sameBytes(cdf.read('B').values, b)).toBe(true);
    expect(sameBytes(cdf.read('counts').values, counts)).toBe(true);
    expect((cdf.read('quality').values as string[]).join()).toBe(quality.join());
    cdf.close();
    // Blocks are cut by the blocking factor, never by the chunks: the same blocks, only
    // interleaved differently between variables, so the sizes agree to the byte.
    expect(statSync(streamed).size).toBe(statSync(whole).size);
    const other = openCdf(whole);
    expect(sameBytes(other.read('B').values, b)).toBe(true);
    other.close();
  });

  it('writes 200 MB with the heap and buffers growing by less than 32 MB', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const recordsPerChunk = 1 << 16;
    const chunk = new Float64Array(4 * recordsPerChunk);
    const target = path.join(dir, 'big.cdf');
    const writer = await CdfWriter.create(target, {
      variables: [
        { name: 'Epoch', type: 'TIME_TT2000' },
        { name: 'v', type: 'DOUBLE', dims: [4] },
        { name: 'v_gz', type: 'DOUBLE', dims: [4], compression: { type: 'gzip', level: 1 } },
      ],
    });
    const times = new BigInt64Array(recordsPerChunk);
    gc();
    const used = () => process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
    const baseline = used();
    let peak = 0;
    const chunks = Math.ceil((200 << 20) / chunk.byteLength);
    for (let c = 0; c < chunks; c++) {
      chunk.fill(c);
      times.fill(BigInt(c));
      await writer.appendRecords('Epoch', times);
      await writer.appendRecords('v', chunk);
      await writer.appendRecords('v_gz', chunk);
      if (c % 8 === 0) {
        gc();
        peak = Math.max(peak, used() - baseline);
      }
    }
    await writer.close();
    gc();
    expect(statSync(target).size).toBeGreaterThan(200 << 20);
    expect(peak).toBeLessThan(32 << 20);
    const cdf = openCdf(target);
    expect(cdf.variable('v').recordCount).toBe(chunks * recordsPerChunk);
    expect(cdf.read('v_gz', { first: chunks * recordsPerChunk - 1 }).values).toEqual(new Float64Array(4).fill(chunks - 1));
    cdf.close();
  });
});
