import { mkdir, readdir, rm } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { CatalogSchema } from './catalog-schema.js';
import { discardCatalogSnapshots, freshCatalogSnapshot } from './fresh-catalog-snapshot.js';
import { PGliteDialect } from './pglite-dialect.js';

/** Where the catalog lives: a PostgreSQL server, or PGlite in this process (a folder, or memory). */
export type CatalogOptions =
  | { kind: 'postgres'; url: string; poolSize?: number }
  | { kind: 'pglite'; dataDir?: string };

/** The open catalog: the Kysely handle every repository receives, and how to close it. */
export interface Catalog {
  db: Kysely<CatalogSchema>;
  /** `postgres://host/db` (no password) or `pglite:<dir>`, for messages. */
  description: string;
  close(): Promise<void>;
}

const INT8_OID = 20;

/** Opens the catalog. Both adapters return BIGINT columns as JS numbers (ids, sizes < 2^53). */
export async function openCatalog(options: CatalogOptions): Promise<Catalog> {
  if (options.kind === 'postgres') return openPostgres(options.url, options.poolSize ?? 10);
  const dataDir = options.dataDir ?? 'memory://';
  const pglite = await openPglite(dataDir);
  const db = new Kysely<CatalogSchema>({ dialect: new PGliteDialect(pglite) });
  return {
    db,
    description: `pglite:${dataDir}`,
    close: async () => {
      await db.destroy();
      await pglite.close();
    },
  };
}

/** Opens PGlite; a new catalog (memory, or an empty folder) starts from the fresh-catalog snapshot. */
async function openPglite(dataDir: string): Promise<PGlite> {
  const parsers = { [INT8_OID]: parseInt8 };
  const inMemory = dataDir.startsWith('memory://');
  if (!inMemory) await mkdir(dataDir, { recursive: true });
  if (!inMemory && (await readdir(dataDir)).length > 0) return PGlite.create(dataDir, { parsers });
  try {
    return await PGlite.create(dataDir, { parsers, loadDataDir: await freshCatalogSnapshot() });
  } catch {
    // A snapshot that does not load (damaged, or from a build it no longer suits) only costs the
    // initdb it was meant to save. The folder was empty before: clear what the failed load left.
    await discardCatalogSnapshots();
    if (!inMemory) await emptyFolder(dataDir);
    return PGlite.create(dataDir, { parsers });
  }
}

async function emptyFolder(folder: string): Promise<void> {
  await rm(folder, { recursive: true, force: true });
  await mkdir(folder, { recursive: true });
}

function openPostgres(url: string, poolSize: number): Catalog {
  const types = {
    getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
      oid === INT8_OID ? parseInt8 : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
  };
  const pool = new pg.Pool({ connectionString: url, max: poolSize, types });
  // An idle client's error (e.g. the server restarted) must not crash the process; the next
  // query gets a fresh connection.
  pool.on('error', () => {});
  const db = new Kysely<CatalogSchema>({ dialect: new PostgresDialect({ pool }) });
  const safe = new URL(url);
  safe.password = '';
  return { db, description: safe.toString(), close: () => db.destroy() };
}

function parseInt8(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new RangeError(`BIGINT ${text} does not fit a JS number`);
  return value;
}
