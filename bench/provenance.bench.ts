/**
 * Provenance at scale, on PostgreSQL: a synthetic catalog of 1,000,000 files in six levels
 * (depth 5) where every file of levels 1-5 was derived from 10 files of the level below (fan-in
 * 10, neighbouring windows overlapping as days of real processing do), so a level-5 file has
 * ~140 precursors over ~950 derivations. Measures the precursor and descendant queries (one
 * recursive CTE each, src/provenance/lineage-query.ts) next to a single indexed lookup of one
 * file row, and the rate at which the trace signer signs queued traces next to the raw Ed25519
 * signing rate of this machine.
 */
import { generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import pg from 'pg';
import { sql } from 'kysely';
import { migrateCatalog } from '../src/catalog/migrate.js';
import { openCatalog, type Catalog } from '../src/catalog/open-catalog.js';
import { createRootLogger } from '../src/logging/logger.js';
import { descendantEdges, precursorEdges } from '../src/provenance/lineage-query.js';
import { TraceSigner } from '../src/provenance/trace-signer.js';
import { keyIdOf, type TraceSigningKey } from '../src/provenance/trace-signing-key.js';
import { createTestDatabase } from '../test/support/postgres-database.js';
import { report } from './report.js';

const FILES = Number(process.env.BENCH_PROVENANCE_FILES ?? 1_000_000);
const LEVELS = 6;
const FAN_IN = 10;
const SAMPLES = Number(process.env.BENCH_PROVENANCE_SAMPLES ?? 300);
const TRACES = Number(process.env.BENCH_PROVENANCE_TRACES ?? 50_000);
const POSTGRES = process.env.SDC_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
/** `queries`, `traces` or both (the default): the traces part alone takes seconds, not minutes. */
const PARTS = (process.env.BENCH_PROVENANCE_PARTS ?? 'queries,traces').split(',');

export default async function provenanceBench(): Promise<void> {
  const database = await createTestDatabase(POSTGRES);
  const catalog = await openCatalog({ kind: 'postgres', url: database.url, poolSize: 4 });
  try {
    await migrateCatalog(catalog.db);
    if (PARTS.includes('queries')) {
      const perLevel = Math.ceil(FILES / LEVELS);
      const loadStarted = performance.now();
      const edges = await loadSyntheticGraph(database.url, perLevel);
      console.log(`loaded ${perLevel * LEVELS} files and ${edges} derivations in ${((performance.now() - loadStarted) / 1000).toFixed(0)} s`);
      await queries(catalog, perLevel);
    }
    if (PARTS.includes('traces')) await signing(catalog, database.url);
  } finally {
    await catalog.close();
    await database.drop();
  }
}

/**
 * Bulk load with triggers and foreign-key checks off (`session_replication_role = replica`), as
 * a restore would: file ids are `level * perLevel + i + 1`; file i of level k was derived from
 * files i..i+9 (mod perLevel) of level k-1, by one job per level. Then `vacuum analyze`, which
 * autovacuum does to a table after that many inserts: it also sets the visibility map, without
 * which an index-only scan still reads the heap.
 */
async function loadSyntheticGraph(url: string, perLevel: number): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`set session_replication_role = replica`);
    await client.query(`
      insert into files (id, mission, name, kind, product, stem, level, start_time, end_time, version, version_label, size, sha256, store_key, tier, source, job_id)
      overriding system value
      select l * ${perLevel} + i + 1, 'bench', 'f' || l || '_' || i || '_v1.0.0.cdf', 'science', 'p' || l, 'f' || l || '_' || i, 'l' || l,
             timestamptz '2020-01-01' + i * interval '1 day', timestamptz '2020-01-02' + i * interval '1 day', '{1,0,0}', '1.0.0',
             1000, md5(l || '_' || i) || md5(i || '_' || l), 'bench/' || l || '/' || i, 'production', case when l = 0 then 'drop' else 'job' end,
             case when l = 0 then null else l end
      from generate_series(0, ${LEVELS - 1}) l, generate_series(0, ${perLevel - 1}) i
      order by l, i`);
    await client.query(`
      insert into jobs (id, mission, rule, processor, processor_version, tier, group_key, window_start, window_end, inputs_hash, inputs, state)
      overriding system value
      select l, 'bench', 'level-' || l, 'make-l' || l, '1.0.0', 'production', 'all', timestamptz '2020-01-01', timestamptz '2020-01-02', md5(l::text) || md5(l::text), '[]', 'succeeded'
      from generate_series(1, ${LEVELS - 1}) l`);
    const { rowCount } = await client.query(`
      insert into provenance_derivations (file_id, used_file_id, job_id)
      select l * ${perLevel} + i + 1, (l - 1) * ${perLevel} + ((i + j) % ${perLevel}) + 1, l
      from generate_series(1, ${LEVELS - 1}) l, generate_series(0, ${perLevel - 1}) i, generate_series(0, ${FAN_IN - 1}) j
      order by 1, 2`);
    await client.query(`vacuum analyze files`);
    await client.query(`vacuum analyze provenance_derivations`);
    return rowCount ?? 0;
  } finally {
    await client.end();
  }
}

async function queries(catalog: Catalog, perLevel: number): Promise<void> {
  const db = catalog.db;
  const deepest = (i: number) => (LEVELS - 1) * perLevel + i + 1;
  const shallowest = (i: number) => i + 1;
  const pick = () => Math.floor(Math.random() * perLevel);
  const lookup = await latencies(() => db.selectFrom('files').selectAll().where('id', '=', deepest(pick())).executeTakeFirstOrThrow());
  let precursorCount = 0;
  const up = await latencies(async () => {
    precursorCount = new Set((await precursorEdges(db, deepest(pick()))).map((e) => e.usedFileId)).size;
  });
  let descendantCount = 0;
  const down = await latencies(async () => {
    descendantCount = new Set((await descendantEdges(db, shallowest(pick()))).map((e) => e.fileId)).size;
  });
  const plan = await sql<{ 'QUERY PLAN': string }>`explain (analyze, buffers, costs off) with recursive up (id) as (
      select ${deepest(0)}::bigint
      union select d.used_file_id from provenance_derivations d join up on d.file_id = up.id)
    select d.file_id, d.used_file_id, d.job_id from provenance_derivations d join up on d.file_id = up.id`.execute(db);
  console.log(`plan of the precursor query:\n  ${plan.rows.map((r) => r['QUERY PLAN']).join('\n  ')}`);
  const baseline = { name: 'one file row by its indexed id, p99', value: lookup.p99 };
  report({ name: `precursors of a level-5 file (${precursorCount} files, depth 5, fan-in ${FAN_IN}) among ${perLevel * LEVELS} files, p99`, value: up.p99, unit: 'ms', baseline, target: '< 100 ms' });
  report({ name: 'precursors, p50', value: up.p50, unit: 'ms', baseline: { name: 'one file row by id, p50', value: lookup.p50 } });
  report({ name: `descendants of a level-0 file (${descendantCount} files, depth 5), p99`, value: down.p99, unit: 'ms', baseline, target: '< 100 ms' });
  report({ name: 'descendants, p50', value: down.p50, unit: 'ms', baseline: { name: 'one file row by id, p50', value: lookup.p50 } });
}

async function signing(catalog: Catalog, url: string): Promise<void> {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const key: TraceSigningKey = { keyId: keyIdOf(publicKey), privateKey, publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(), createdAt: new Date() };
  await catalog.db.insertInto('provenance_keys').values({ key_id: key.keyId, public_key: key.publicKeyPem }).execute();
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`insert into provenance_traces (file_id, file_name, sha256, size, event, service)
      select i, 'f_' || i, md5(i::text) || md5((i + 1)::text), 1000, 'ingest', 'ingest/drop' from generate_series(1, ${TRACES}) i`);
  } finally {
    await client.end();
  }
  const signer = new TraceSigner(catalog.db, key, createRootLogger({ level: 'error' }));
  const started = performance.now();
  const signed = await signer.drain();
  const perSecond = signed / ((performance.now() - started) / 1000);
  await signer.stop();
  const payload = randomBytes(160);
  const rawStarted = performance.now();
  const rawCount = 20_000;
  for (let i = 0; i < rawCount; i++) sign(null, payload, privateKey);
  const raw = rawCount / ((performance.now() - rawStarted) / 1000);
  report({ name: `traces signed and stored (${signed} queued traces, batches of 1000, 2 in flight, signing threads, PostgreSQL)`, value: perSecond, unit: 'traces/s', baseline: { name: 'Ed25519 signatures alone (node:crypto, one thread)', value: raw }, target: '>= 2000 traces/s' });
}

async function latencies(run: () => Promise<unknown>): Promise<{ p50: number; p99: number }> {
  for (let i = 0; i < 20; i++) await run();
  const times: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    const started = performance.now();
    await run();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!;
  return { p50: at(0.5), p99: at(0.99) };
}
