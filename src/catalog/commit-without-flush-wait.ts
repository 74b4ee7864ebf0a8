import { sql, type Transaction } from 'kysely';
import type { CatalogSchema } from './catalog-schema.js';

/**
 * Lets the transaction commit without waiting for its write-ahead log to reach the disk
 * (`synchronous_commit = off` for it alone). Only for writes whose loss in a database crash
 * harms nothing because what they record is redone (the deletion of outbox rows after their
 * publish). Atomicity and isolation are unchanged, and the next commit that does wait flushes
 * this one with it, since the log is written in order.
 */
export async function commitWithoutFlushWait(trx: Transaction<CatalogSchema>): Promise<void> {
  await sql`set local synchronous_commit = off`.execute(trx);
}
