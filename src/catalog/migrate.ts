import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { sql, type Kysely } from 'kysely';
import { packageRoot } from '../config/package-root.js';
import type { CatalogSchema } from './catalog-schema.js';

/** Arbitrary constant: the advisory lock that serialises migrations across processes. */
const MIGRATION_LOCK = 7_140_419;

/**
 * Applies the SQL files of `migrations/` (`NNNN_name.sql`, in name order) that are not yet
 * recorded, each in its own transaction, under an advisory lock so that several processes
 * starting at once migrate once. The same files serve PostgreSQL and PGlite.
 */
export async function migrateCatalog(db: Kysely<CatalogSchema>, folder = path.join(packageRoot(), 'migrations')): Promise<string[]> {
  await sql`create table if not exists schema_migrations (version text primary key, applied_at timestamptz not null default now())`.execute(db);
  const files = (await readdir(folder)).filter((f) => /^\d{4}_.+\.sql$/.test(f)).sort();
  const recorded = new Set((await db.selectFrom('schema_migrations').select('version').execute()).map((row) => row.version));
  const applied: string[] = [];
  // Each pending file is checked again under the lock: another process may apply it meanwhile.
  for (const file of files.filter((f) => !recorded.has(f))) {
    const script = await readFile(path.join(folder, file), 'utf8');
    const done = await db.transaction().execute(async (trx) => {
      await sql`select pg_advisory_xact_lock(${MIGRATION_LOCK})`.execute(trx);
      const existing = await trx.selectFrom('schema_migrations').select('version').where('version', '=', file).executeTakeFirst();
      if (existing) return false;
      await sql.raw(script).execute(trx);
      await trx.insertInto('schema_migrations').values({ version: file }).execute();
      return true;
    });
    if (done) applied.push(file);
  }
  return applied;
}
