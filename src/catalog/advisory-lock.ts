import { sql, type Transaction } from 'kysely';
import type { CatalogSchema } from './catalog-schema.js';

/**
 * Takes a lock on each name until the transaction ends, so that work on one name (a file being
 * catalogued, a job group being triggered) is serialised across every process of the SDC. The
 * names are locked in sorted order in one statement, so that two transactions locking
 * overlapping sets cannot deadlock.
 */
export async function lockNames(trx: Transaction<CatalogSchema>, names: readonly string[]): Promise<void> {
  if (names.length === 0) return;
  const sorted = [...new Set(names)].sort();
  await sql`select pg_advisory_xact_lock(hashtextextended(name, 0)) from unnest(${sorted}::text[]) with ordinality as t(name, position) order by position`.execute(trx);
}
