import type { Kysely, Transaction } from 'kysely';
import type { CatalogSchema } from '../catalog/catalog-schema.js';

/** A file the SDC owes: to the POC's outgoing folder, or published through ingest. */
export interface PendingDelivery {
  id: number;
  target: 'poc' | 'publish';
  name: string;
  content: string;
}

/** Records a file to deliver, in the transaction of what it carries (delivered after commit). */
export async function queueDelivery(trx: Transaction<CatalogSchema>, mission: string, d: { target: 'poc' | 'publish'; name: string; content: string; submissionId?: number; windowId?: number }): Promise<void> {
  await trx.insertInto('sitl_deliveries').values({ mission, target: d.target, name: d.name, content: d.content, submission_id: d.submissionId ?? null, window_id: d.windowId ?? null }).execute();
}

export async function pendingDeliveries(db: Kysely<CatalogSchema>, mission: string, limit: number): Promise<PendingDelivery[]> {
  return db.selectFrom('sitl_deliveries').select(['id', 'target', 'name', 'content']).where('mission', '=', mission).where('delivered_at', 'is', null).orderBy('id').limit(limit).execute();
}

export async function markDelivered(db: Kysely<CatalogSchema>, id: number): Promise<void> {
  await db.updateTable('sitl_deliveries').set({ delivered_at: new Date() }).where('id', '=', id).where('delivered_at', 'is', null).execute();
}
