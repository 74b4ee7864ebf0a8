/** The catalog side of Glacier vault targets: archive ids, retrieval jobs, the last inventory. */
import { sql } from 'kysely';
import type { ArchiveDb, GlacierArchiveRow, GlacierJobAction } from '../../archive-tables.js';

export async function recordArchive(db: ArchiveDb, row: Omit<GlacierArchiveRow, 'uploaded_at'>): Promise<void> {
  await db.insertInto('glacier_archives').values(row).onConflict((oc) => oc.columns(['target', 'archive_id']).doNothing()).execute();
}

export function archiveOf(db: ArchiveDb, target: string, archiveId: string): Promise<GlacierArchiveRow | undefined> {
  return db.selectFrom('glacier_archives').selectAll().where('target', '=', target).where('archive_id', '=', archiveId).executeTakeFirst();
}

/**
 * An archive already uploaded with these bytes under this key that no recorded copy uses: what
 * a run killed between the upload and recording it left. Reusing it means a resumed run does
 * not send the bytes again; an archive a copy uses (even a bad one being repaired) is never reused.
 */
export function unrecordedUpload(db: ArchiveDb, target: string, key: string, sha256: string): Promise<GlacierArchiveRow | undefined> {
  return db
    .selectFrom('glacier_archives as a')
    .selectAll('a')
    .where('a.target', '=', target)
    .where('a.key', '=', key)
    .where('a.sha256', '=', sha256.toLowerCase())
    .where((eb) => eb.not(eb.exists(eb.selectFrom('archive_copies as c').select('c.file_id').where('c.target', '=', target).whereRef('c.location', '=', 'a.archive_id'))))
    .where((eb) => eb.not(eb.exists(eb.selectFrom('archive_system_copies as s').select('s.item_id').where('s.target', '=', target).whereRef('s.location', '=', 'a.archive_id'))))
    .orderBy('a.uploaded_at', 'desc')
    .executeTakeFirst();
}

export async function recordJob(db: ArchiveDb, job: { target: string; job_id: string; action: GlacierJobAction; archive_id: string | null; tier: string | null }): Promise<void> {
  await db.insertInto('glacier_jobs').values({ ...job, state: 'in-progress' }).onConflict((oc) => oc.columns(['target', 'job_id']).doNothing()).execute();
}

export async function settleJob(db: ArchiveDb, target: string, jobId: string, outcome: { state: 'succeeded' | 'failed'; statusMessage: string | null; completedAt: Date }): Promise<void> {
  await db
    .updateTable('glacier_jobs')
    .set({ state: outcome.state, status_message: outcome.statusMessage, completed_at: outcome.completedAt })
    .where('target', '=', target)
    .where('job_id', '=', jobId)
    .execute();
}

/** The newest job of an action (for one archive, for archive retrievals). */
export function latestJob(db: ArchiveDb, target: string, action: GlacierJobAction, archiveId?: string) {
  let query = db.selectFrom('glacier_jobs').selectAll().where('target', '=', target).where('action', '=', action);
  if (archiveId !== undefined) query = query.where('archive_id', '=', archiveId);
  return query.orderBy('requested_at', 'desc').orderBy('job_id', 'desc').executeTakeFirst();
}

/** An inventory entry as the vault reports it. */
export interface InventoryEntry {
  archiveId: string;
  size: number;
  treeHash: string;
  description: string | null;
  createdAt: Date;
}

/** Replaces the target's inventory with a newer one, in one transaction. */
export async function replaceInventory(db: ArchiveDb, target: string, jobId: string, inventoryDate: Date, entries: readonly InventoryEntry[]): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('glacier_inventory_entries').where('target', '=', target).execute();
    for (let i = 0; i < entries.length; i += 500) {
      const rows = entries.slice(i, i + 500).map((e) => ({ target, archive_id: e.archiveId, size: e.size, tree_hash: e.treeHash, description: e.description, created_at: e.createdAt }));
      await trx.insertInto('glacier_inventory_entries').values(rows).execute();
    }
    await trx
      .insertInto('glacier_inventories')
      .values({ target, job_id: jobId, inventory_date: inventoryDate })
      .onConflict((oc) => oc.column('target').doUpdateSet({ job_id: jobId, inventory_date: inventoryDate, retrieved_at: sql`now()` }))
      .execute();
  });
}

export function inventoryOf(db: ArchiveDb, target: string) {
  return db.selectFrom('glacier_inventories').selectAll().where('target', '=', target).executeTakeFirst();
}

export function inventoryEntry(db: ArchiveDb, target: string, archiveId: string) {
  return db.selectFrom('glacier_inventory_entries').selectAll().where('target', '=', target).where('archive_id', '=', archiveId).executeTakeFirst();
}

/**
 * The inventory's archives that hold catalogued copies or unknown bytes: archives we uploaded
 * for manifests and system items (keys under reserved folders) are left out.
 */
export function inventoryListing(db: ArchiveDb, target: string, reservedPrefixes: readonly string[]) {
  return db
    .selectFrom('glacier_inventory_entries as e')
    .leftJoin('glacier_archives as a', (join) => join.onRef('a.archive_id', '=', 'e.archive_id').on('a.target', '=', target))
    .select(['e.archive_id', 'e.size'])
    .where('e.target', '=', target)
    .where((eb) => eb.or([eb('a.key', 'is', null), eb.and(reservedPrefixes.map((p) => eb.not(sql<boolean>`starts_with(a.key, ${p})`)))]))
    .orderBy('e.archive_id')
    .execute();
}

/** A multipart upload in progress of these bytes under this key with this part size, if a run left one. */
export function uploadInProgress(db: ArchiveDb, target: string, upload: { key: string; size: number; sha256: string; partSize: number }) {
  return db
    .selectFrom('glacier_uploads')
    .selectAll()
    .where('target', '=', target)
    .where('key', '=', upload.key)
    .where('sha256', '=', upload.sha256.toLowerCase())
    .where('size', '=', upload.size)
    .where('part_size', '=', upload.partSize)
    .orderBy('started_at', 'desc')
    .executeTakeFirst();
}

export async function recordUpload(db: ArchiveDb, row: { target: string; upload_id: string; key: string; size: number; sha256: string; part_size: number }): Promise<void> {
  await db.insertInto('glacier_uploads').values({ ...row, sha256: row.sha256.toLowerCase() }).execute();
}

/** The parts Glacier confirmed, by the offset they start at, with their tree hashes. */
export async function recordedParts(db: ArchiveDb, target: string, uploadId: string): Promise<Map<number, string>> {
  const rows = await db.selectFrom('glacier_upload_parts').select(['range_start', 'tree_hash']).where('target', '=', target).where('upload_id', '=', uploadId).execute();
  return new Map(rows.map((r) => [Number(r.range_start), r.tree_hash]));
}

export async function recordPart(db: ArchiveDb, part: { target: string; upload_id: string; range_start: number; size: number; tree_hash: string }): Promise<void> {
  await db
    .insertInto('glacier_upload_parts')
    .values(part)
    .onConflict((oc) => oc.columns(['target', 'upload_id', 'range_start']).doUpdateSet({ size: part.size, tree_hash: part.tree_hash }))
    .execute();
}

/** Forgets an upload (completed, aborted, or gone from Glacier); its parts go with it. */
export async function forgetUpload(db: ArchiveDb, target: string, uploadId: string): Promise<void> {
  await db.deleteFrom('glacier_uploads').where('target', '=', target).where('upload_id', '=', uploadId).execute();
}
