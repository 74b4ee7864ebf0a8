/**
 * Ingest throughput, end to end (a file renamed into the drop folder -> checked, copied into the
 * store, catalogued -> its `file.ingested` event consumed from the bus), for 10,000 small files
 * on PostgreSQL + RabbitMQ, next to the raw rate of inserting the same rows with plain
 * `INSERT ... VALUES` batches into the same database in the same run. The embedded default is
 * measured too, for information.
 */
import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { openSdc, type Sdc } from '../src/app/open-sdc.js';
import { loadConfig } from '../src/config/load-config.js';
import type { SdcConfigInput } from '../src/config/config-schema.js';
import { createRootLogger } from '../src/logging/logger.js';
import { createTestDatabase } from '../test/support/postgres-database.js';
import { createTestVhost } from '../test/support/rabbitmq-vhost.js';
import { report } from './report.js';

const FILES = Number(process.env.BENCH_INGEST_FILES ?? 10_000);
const POSTGRES = process.env.SDC_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const AMQP = process.env.SDC_TEST_AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';

export default async function ingestBench(): Promise<void> {
  const database = await createTestDatabase(POSTGRES);
  const vhost = await createTestVhost(AMQP, 'bench');
  try {
    const production = await measure({ catalog: { kind: 'postgres', url: database.url, poolSize: 16 }, bus: { kind: 'amqp', url: vhost.url } }, true);
    report({ name: `ingest ${FILES} files, PostgreSQL + RabbitMQ (drop -> catalog row -> event consumed)`, value: production.filesPerSecond, unit: 'files/s', baseline: { name: 'INSERT ... VALUES batches of 1000 of the same rows', value: production.baselineRowsPerSecond }, target: '>= 500 files/s' });
    const embedded = await measure({ catalog: { kind: 'pglite' }, bus: { kind: 'memory' } }, false);
    report({ name: `ingest ${FILES} files, embedded default (PGlite + in-process bus)`, value: embedded.filesPerSecond, unit: 'files/s' });
  } finally {
    await vhost.dispose();
    await database.drop();
  }
}

async function measure(parts: Partial<SdcConfigInput>, withBaseline: boolean): Promise<{ filesPerSecond: number; baselineRowsPerSecond: number }> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'sdc-bench-'));
  const overrides: Partial<SdcConfigInput> = { ...parts, dataDir, ingest: { stableMs: 0 }, ...(parts.catalog?.kind === 'pglite' ? { catalog: { kind: 'pglite', dataDir: path.join(dataDir, 'catalog') } } : {}) };
  const sdc = await openSdc(await loadConfig({ env: {}, overrides }), { logger: createRootLogger({ level: 'error' }) });
  try {
    const staging = path.join(dataDir, 'staging');
    const names = await writeFiles(staging);
    let consumed = 0;
    let done!: () => void;
    const allConsumed = new Promise<void>((resolve) => (done = resolve));
    await sdc.bus.declareQueue({ name: 'bench.ingested', bindings: ['file.ingested.#'], retryDelaysMs: [] });
    await sdc.bus.consume('bench.ingested', async () => {
      if (++consumed === FILES) done();
    }, { prefetch: 500 });
    const drop = path.join(dataDir, 'drop');
    await mkdir(drop, { recursive: true });
    await sdc.startDropFolder({ folder: drop });
    const started = performance.now();
    await dropAll(names, staging, drop);
    await allConsumed;
    const seconds = (performance.now() - started) / 1000;
    const baselineRowsPerSecond = withBaseline ? await baselineInserts(sdc) : Number.NaN;
    return { filesPerSecond: FILES / seconds, baselineRowsPerSecond };
  } finally {
    await sdc.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** Renames the files into the drop folder as a sender would, 16 at a time. */
async function dropAll(names: string[], from: string, to: string): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: 16 }, async () => {
    while (next < names.length) {
      const name = names[next++]!;
      await rename(path.join(from, name), path.join(to, name));
    }
  }));
}

/** Small telemetry files of valid names: one per spacecraft and day. */
async function writeFiles(folder: string): Promise<string[]> {
  await mkdir(folder, { recursive: true });
  const names: string[] = [];
  const day0 = Date.UTC(2015, 8, 1);
  for (let i = 0; i < FILES; i++) {
    const day = new Date(day0 + Math.floor(i / 4) * 86_400_000).toISOString().slice(0, 10).replaceAll('-', '');
    const name = `mms${(i % 4) + 1}_fgm_srvy_l0_${day}_v0.0.0.dat`;
    await writeFile(path.join(folder, name), Buffer.alloc(2048 + (i % 2048), i % 251));
    names.push(name);
  }
  return names;
}

/** The same rows, copied from the catalog, inserted again by plain INSERT ... VALUES batches. */
async function baselineInserts(sdc: Sdc): Promise<number> {
  const db = sdc.catalog.db;
  await sql`create table files_baseline (like files including defaults)`.execute(db);
  const rows = await db.selectFrom('files').selectAll().execute();
  const started = performance.now();
  for (let i = 0; i < rows.length; i += 1000) {
    const batch = rows.slice(i, i + 1000).map(({ metadata, ...row }) => ({ ...row, metadata: JSON.stringify(metadata) }));
    await db.insertInto('files_baseline' as 'files').values(batch as never).execute();
  }
  return rows.length / ((performance.now() - started) / 1000);
}
