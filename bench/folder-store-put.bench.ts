/**
 * FolderFileStore.putFile throughput for 10,000 files of 4 KB (ingest's small-file case), with
 * fsync and without, at ingest's default concurrency (16) and one at a time, next to a plain
 * `fs.copyFile` of the same files (no hash, no temp file, no fsync) measured in the same run.
 */
import { createHash, randomBytes } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { FolderFileStore, type FolderDurability } from '../src/store/folder-file-store.js';
import { report } from './report.js';

const FILES = 10_000;
const SIZE = 4096;

interface Source {
  path: string;
  key: string;
  size: number;
  sha256: string;
}

export default async function run(): Promise<void> {
  const work = await mkdtemp(path.join(os.tmpdir(), 'sdc-bench-store-'));
  try {
    const sources = await writeSources(path.join(work, 'sources'));
    const baseline = { name: 'fs.copyFile, concurrency 16', value: await rate(sources, 16, (s) => plainCopy(path.join(work, 'plain'), s)) };
    for (const durability of ['fsync', 'none'] as FolderDurability[]) {
      for (const concurrency of [16, 1]) {
        const store = await FolderFileStore.open({ root: path.join(work, `store-${durability}-${concurrency}`), durability });
        const value = await rate(sources, concurrency, (s) => store.putFile(s.key, s.path, s));
        report({ name: `folder putFile 4 KB, durability ${durability}, concurrency ${concurrency}`, value, unit: 'files/s', baseline, target: '>= 500' });
      }
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** 10,000 distinct files spread over 4 spacecraft × 10 days, as a burst-mode ingest would be. */
async function writeSources(folder: string): Promise<Source[]> {
  await mkdir(folder, { recursive: true });
  const sources: Source[] = [];
  for (let i = 0; i < FILES; i++) {
    const bytes = randomBytes(SIZE);
    const file = path.join(folder, `f${i}.cdf`);
    await writeFile(file, bytes);
    const key = `mms${(i % 4) + 1}/fgm/brst/l2/2015/10/${10 + (i % 10)}/mms_fgm_brst_l2_${i}_v1.0.0.cdf`;
    sources.push({ path: file, key, size: SIZE, sha256: createHash('sha256').update(bytes).digest('hex') });
  }
  return sources;
}

async function plainCopy(root: string, source: Source): Promise<void> {
  const target = path.join(root, source.key);
  await mkdir(path.dirname(target), { recursive: true });
  await copyFile(source.path, target);
}

/** Files per second for `put` over every source, `concurrency` at a time. */
async function rate(sources: Source[], concurrency: number, put: (source: Source) => Promise<void>): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < sources.length) await put(sources[next++]!);
    }),
  );
  return sources.length / ((performance.now() - started) / 1000);
}
