import type { Kysely, Transaction } from 'kysely';
import type { CatalogSchema } from '../catalog/catalog-schema.js';

/** A file the SDC owes: to the POC's outgoing folder, or published through ingest. */
export interface PendingDelivery {
  id: number;
  target: 'poc' | 'publish';
  name: string;
  content: Buffer;
}

/** Records a file to deliver, in the transaction of what it carries (delivered after commit); binary content is kept as base64. */
export async function queueDelivery(trx: Transaction<CatalogSchema>, mission: string, d: { target: 'poc' | 'publish'; name: string; content: string | Uint8Array; submissionId?: number; windowId?: number }): Promise<void> {
  const binary = typeof d.content !== 'string';
  const content = binary ? Buffer.from(d.content as Uint8Array).toString('base64') : (d.content as string);
  await trx.insertInto('sitl_deliveries').values({ mission, target: d.target, name: d.name, content, content_encoding: binary ? 'base64' : 'utf8', submission_id: d.submissionId ?? null, window_id: d.windowId ?? null }).execute();
}

export async function pendingDeliveries(db: Kysely<CatalogSchema>, mission: string, limit: number): Promise<PendingDelivery[]> {
  const rows = await db.selectFrom('sitl_deliveries').select(['id', 'target', 'name', 'content', 'content_encoding']).where('mission', '=', mission).where('delivered_at', 'is', null).orderBy('id').limit(limit).execute();
  return rows.map((r) => ({ id: r.id, target: r.target, name: r.name, content: Buffer.from(r.content, r.content_encoding === 'base64' ? 'base64' : 'utf8') }));
}

export async function markDelivered(db: Kysely<CatalogSchema>, id: number): Promise<void> {
  await db.updateTable('sitl_deliveries').set({ delivered_at: new Date() }).where('id', '=', id).where('delivered_at', 'is', null).execute();
}
