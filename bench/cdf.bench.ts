/**
 * CDF library throughput on a generated file of 4,500,000 records (144 MB of values: TT2000,
 * REAL4[3] stored plainly and REAL4[3] GZIP-compressed), written by the project's writer into a
 * temporary directory and deleted at the end. Each figure sits next to a baseline measured in
 * this run: fs.readFile, zlib inflate of the same CVVR bytes, fs.writeFile of the same bytes, a
 * naive BigInt TT2000 conversion. Every timing is the best of a few runs (page cache warm).
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { openCdf, readCdfMetadata, tt2000ArrayToUnixMs } from '../src/cdf/index.js';
import { CdfWriter, writeCdf, type CdfSchema } from '../src/cdf/writer/index.js';
import { report } from './report.js';

const RECORDS = 4_500_000;
const CHUNK = 1 << 16;
const RUNS = 3;
const MB = 1 << 20;
const EPOCH_2024 = 757339269184000000n;

const epoch = BigInt64Array.from({ length: RECORDS }, (_, i) => EPOCH_2024 + BigInt(i) * 7_812_500n);
// A smooth field with a little noise: compresses like real magnetometer data, not like zeros.
const field = Float32Array.from({ length: 3 * RECORDS }, (_, i) => 40 * Math.sin(i / 3000) + ((i * 2654435761) % 1000) / 1000);

export default async function cdfBench(): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'cdf-bench-'));
  try {
    const plain = path.join(dir, 'plain.cdf');
    const gzipped = path.join(dir, 'gzip.cdf');
    await benchWritePlain(plain, dir);
    await benchWriteGzip(gzipped);
    await benchReadPlain(plain);
    await benchReadGzip(gzipped);
    benchTt2000();
    await benchOpenMetadata(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function best(run: () => void): number {
  let fastest = Number.POSITIVE_INFINITY;
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    run();
    fastest = Math.min(fastest, performance.now() - started);
  }
  return fastest / 1000;
}

async function bestAsync(run: () => Promise<void>): Promise<number> {
  let fastest = Number.POSITIVE_INFINITY;
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    await run();
    fastest = Math.min(fastest, performance.now() - started);
  }
  return fastest / 1000;
}

async function stream(file: string, schema: CdfSchema, columns: Record<string, { values: BigInt64Array | Float32Array; width: number }>): Promise<void> {
  const writer = await CdfWriter.create(file, schema);
  for (let first = 0; first < RECORDS; first += CHUNK) {
    const end = Math.min(first + CHUNK, RECORDS);
    for (const [name, { values, width }] of Object.entries(columns)) {
      await writer.appendRecords(name, values.subarray(first * width, end * width));
    }
  }
  await writer.close();
}

async function benchWritePlain(file: string, dir: string): Promise<void> {
  const schema: CdfSchema = { variables: [{ name: 'Epoch', type: 'TIME_TT2000' }, { name: 'B', type: 'REAL4', dims: [3] }] };
  const bytes = epoch.byteLength + field.byteLength;
  const seconds = await bestAsync(() => stream(file, schema, { Epoch: { values: epoch, width: 1 }, B: { values: field, width: 3 } }));
  const copy = path.join(dir, 'copy.bin');
  const baseline = await bestAsync(async () => {
    await writeFile(copy, Buffer.from(epoch.buffer));
    await writeFile(copy, Buffer.from(field.buffer), { flag: 'a' });
  });
  await rm(copy);
  report({
    name: `CDF write, uncompressed (${(bytes / MB).toFixed(0)} MB of values in chunks of ${CHUNK} records, atomic rename + fdatasync)`,
    value: bytes / MB / seconds,
    unit: 'MB/s',
    baseline: { name: 'fs.writeFile of the same bytes', value: bytes / MB / baseline },
    target: '>= 500 MB/s',
  });
}

async function benchWriteGzip(file: string): Promise<void> {
  const schema: CdfSchema = { variables: [{ name: 'B_gz', type: 'REAL4', dims: [3], compression: { type: 'gzip', level: 6 } }] };
  const seconds = await bestAsync(() => stream(file, schema, { B_gz: { values: field, width: 3 } }));
  const raw = Buffer.from(field.buffer);
  const block = 1 << 18;
  const baseline = best(() => {
    for (let at = 0; at < raw.length; at += block) gzipSync(raw.subarray(at, at + block), { level: 6 });
  });
  report({
    name: 'CDF write, GZIP level 6 (REAL4[3], MB/s of values)',
    value: field.byteLength / MB / seconds,
    unit: 'MB/s',
    baseline: { name: 'zlib.gzipSync of the same bytes in 256 KiB blocks, one thread', value: field.byteLength / MB / baseline },
  });
}

async function benchReadPlain(file: string): Promise<void> {
  const cdf = openCdf(file);
  const seconds = best(() => void cdf.read('B'));
  cdf.close();
  const bytes = (await readFile(file)).length;
  const baseline = await bestAsync(async () => void (await readFile(file)));
  report({
    name: 'CDF read, uncompressed REAL4[3] variable (MB/s of values)',
    value: field.byteLength / MB / seconds,
    unit: 'MB/s',
    baseline: { name: 'fs.readFile of the whole file', value: bytes / MB / baseline },
    target: '>= 1000 MB/s',
  });
}

async function benchReadGzip(file: string): Promise<void> {
  const cdf = openCdf(file);
  const seconds = best(() => void cdf.read('B_gz'));
  cdf.close();
  const baseline = await bestAsync(async () => {
    const bytes = await readFile(file);
    for (const member of gzipMembers(bytes)) gunzipSync(member);
  });
  report({
    name: 'CDF read, GZIP REAL4[3] variable (MB/s of values)',
    value: field.byteLength / MB / seconds,
    unit: 'MB/s',
    baseline: { name: 'fs.readFile + zlib.gunzipSync of the same CVVR payloads', value: field.byteLength / MB / baseline },
    target: '>= 80% of the baseline',
  });
}

/** The gzip members of every CVVR, found by walking the records that tile the file from offset 8. */
function gzipMembers(bytes: Buffer): Buffer[] {
  const eof = Number(bytes.readBigInt64BE(Number(bytes.readBigInt64BE(20)) + 36));
  const members: Buffer[] = [];
  for (let offset = 8; offset < eof; ) {
    const size = Number(bytes.readBigInt64BE(offset));
    if (bytes.readInt32BE(offset + 8) === 13) members.push(bytes.subarray(offset + 24, offset + size));
    offset += size;
  }
  return members;
}

function benchTt2000(): void {
  const out = new Float64Array(RECORDS);
  const seconds = best(() => void tt2000ArrayToUnixMs(epoch, out));
  const naive = epoch.subarray(0, RECORDS / 10);
  const baseline = best(() => {
    for (let i = 0; i < naive.length; i++) out[i] = Number((naive[i]! - 946727935816000000n) / 1_000_000n);
  });
  report({
    name: 'TT2000 -> Unix ms, tt2000ArrayToUnixMs',
    value: RECORDS / seconds,
    unit: 'values/s',
    baseline: { name: 'naive BigInt division loop (no leap seconds)', value: naive.length / baseline },
    target: '>= 100000000 values/s',
  });
}

async function benchOpenMetadata(dir: string): Promise<void> {
  const file = path.join(dir, 'mms1_fgm_srvy_l2_20240101_v1.0.0.cdf');
  const records = 40_000;
  await writeCdf(file, {
    globalAttributes: { Project: 'STP>Solar-Terrestrial Physics', Logical_source: 'mms1_fgm_srvy_l2', TEXT: ['a', 'b', 'c'] },
    variables: [
      { name: 'Epoch', type: 'TIME_TT2000', values: epoch.subarray(0, records), attributes: { CATDESC: 'time', VAR_TYPE: 'support_data' } },
      { name: 'b_gse', type: 'REAL4', dims: [4], values: new Float32Array(4 * records), attributes: { DEPEND_0: 'Epoch', VAR_TYPE: 'data' } },
      { name: 'b_gse_gz', type: 'REAL4', dims: [4], compression: { type: 'gzip' }, values: new Float32Array(4 * records), attributes: { DEPEND_0: 'Epoch' } },
    ],
  });
  const size = (await readFile(file)).length;
  const calls = 200;
  const seconds = best(() => {
    for (let i = 0; i < calls; i++) readCdfMetadata(file);
  });
  const baseline = await bestAsync(async () => {
    for (let i = 0; i < calls; i++) await readFile(file);
  });
  report({
    name: `open + metadata (readCdfMetadata, time range included) of a ${(size / MB).toFixed(2)} MB file`,
    value: (seconds * 1000) / calls,
    unit: 'ms',
    baseline: { name: 'fs.readFile of the same file', value: (baseline * 1000) / calls },
    target: '< 5 ms',
  });
}
