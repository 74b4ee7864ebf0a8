/**
 * Backup throughput: `BACKUP_BENCH_MB` (default 2,048) MB of files (64 files of 32 MB) ingested
 * into an embedded SDC, then backed up by the archive to a local S3 server (s3rver in a child
 * process, STANDARD_IA, read-back verification, multipart), next to a plain `fs.copyFile` of the
 * same hot-store files to the same disk, measured in the same run.
 */
import { randomBytes } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { openSdc } from '../src/app/open-sdc.js';
import { loadConfig } from '../src/config/load-config.js';
import { createRootLogger } from '../src/logging/logger.js';
import { startS3Server } from '../test/support/s3-server.js';
import { report } from './report.js';

const FILE_MB = 32;
const TOTAL_MB = Number(process.env.BACKUP_BENCH_MB ?? 2048);

export default async function run(): Promise<void> {
  const work = await mkdtemp(path.join(os.tmpdir(), 'sdc-bench-backup-'));
  const s3 = await startS3Server({ bucket: 'bench' });
  try {
    const target = { name: 'bench', kind: 's3' as const, bucket: s3.bucket, endpoint: s3.endpoint, forcePathStyle: true, accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER', checksums: 'WHEN_REQUIRED' as const, storageClass: 'STANDARD_IA' as const, verify: 'read-back' as const };
    const config = await loadConfig({ env: {}, overrides: { dataDir: work, catalog: { kind: 'pglite', dataDir: 'memory://' }, archive: { targets: [target], concurrency: 4 } } });
    const sdc = await openSdc(config, { logger: createRootLogger({ level: 'error' }) });
    try {
      const keys = await ingestFiles(sdc, path.join(work, 'in'));
      const bytes = keys.length * FILE_MB * 1024 * 1024;
      const copyStart = performance.now();
      for (const key of keys) {
        const to = path.join(work, 'plain-copy', key);
        await mkdir(path.dirname(to), { recursive: true });
        await copyFile(path.join(work, 'store', key), to);
      }
      const baseline = { name: 'fs.copyFile of the same files', value: bytes / 1e6 / ((performance.now() - copyStart) / 1000) };
      const archive = await sdc.openArchive();
      const start = performance.now();
      const [result] = await archive.backup('bench');
      if (result!.files !== keys.length) throw new Error(`backed up ${result!.files} of ${keys.length} files`);
      const value = bytes / 1e6 / ((performance.now() - start) / 1000);
      report({ name: `backup of ${(bytes / 1e9).toFixed(2)} GB (${keys.length} × ${FILE_MB} MB) to s3rver, verified by read-back`, value, unit: 'MB/s', baseline });
    } finally {
      await sdc.stop();
    }
  } finally {
    await s3.stop();
    await rm(work, { recursive: true, force: true });
  }
}

/** Writes and ingests the files (moved into the store); returns their store keys. */
async function ingestFiles(sdc: Awaited<ReturnType<typeof openSdc>>, dir: string): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const keys: string[] = [];
  for (let i = 0; i < Math.max(1, Math.round(TOTAL_MB / FILE_MB)); i++) {
    const day = 100 + Math.floor(i / 4);
    const name = `MMS${(i % 4) + 1}_DEFATT_2015${day}_2015${day}.V00`;
    await writeFile(path.join(dir, name), randomBytes(FILE_MB * 1024 * 1024));
    const [outcome] = await sdc.ingest.ingestMany([{ path: path.join(dir, name), name, source: 'drop' }]);
    if (outcome?.status !== 'ingested') throw new Error(`not ingested: ${name}`);
    keys.push((await sdc.catalog.db.selectFrom('files').select('store_key').where('name', '=', name).executeTakeFirstOrThrow()).store_key);
  }
  return keys;
}
