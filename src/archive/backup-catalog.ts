/** The archive's catalog queries for backups: what is not yet in a target, copies, runs. */
import { sql } from 'kysely';
import type { ArchiveDb, ArchivedFileRow, ArchiveCopyRow, ArchiveSystemCopiesTable } from './archive-tables.js';
import type { SystemItemSource } from './system/system-items.js';

/** Catalogued files with no copy in `target` yet, in ingestion order, after `afterId`. */
export function filesNotBackedUp(db: ArchiveDb, target: string, afterId: number, limit: number): Promise<ArchivedFileRow[]> {
  return db
    .selectFrom('files')
    .selectAll('files')
    .where('files.id', '>', afterId)
    .where('files.hot_pruned_at', 'is', null)
    .where((eb) => eb.not(eb.exists(eb.selectFrom('archive_copies').select('archive_copies.file_id').whereRef('archive_copies.file_id', '=', 'files.id').where('archive_copies.target', '=', target))))
    .orderBy('files.id')
    .limit(limit)
    .execute();
}

/** How many files and bytes still wait for `target`. */
export async function backlogOf(db: ArchiveDb, target: string): Promise<{ files: number; bytes: number }> {
  const row = await db
    .selectFrom('files')
    .select([sql<number>`count(*)::int`.as('files'), sql<number>`coalesce(sum(size), 0)::bigint`.as('bytes')])
    .where('hot_pruned_at', 'is', null)
    .where((eb) => eb.not(eb.exists(eb.selectFrom('archive_copies').select('archive_copies.file_id').whereRef('archive_copies.file_id', '=', 'files.id').where('archive_copies.target', '=', target))))
    .executeTakeFirstOrThrow();
  return { files: Number(row.files), bytes: Number(row.bytes) };
}

/** Records a verified copy and moves its run's counters and heartbeat, in one transaction. */
export async function recordCopy(db: ArchiveDb, copy: Omit<ArchiveCopyRow, 'backed_up_at' | 'verified_at'>): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('archive_copies')
      .values(copy)
      .onConflict((oc) => oc.columns(['file_id', 'target']).doUpdateSet({ location: copy.location, size: copy.size, sha256: copy.sha256, storage_class: copy.storage_class, verified_at: new Date() }))
      .execute();
    if (copy.run_id === null) return;
    await trx
      .updateTable('archive_runs')
      .set((eb) => ({ files: eb('files', '+', 1), bytes: eb('bytes', '+', copy.size), heartbeat_at: new Date() }))
      .where('id', '=', copy.run_id)
      .execute();
  });
}

/** The copies of a file, in every target. */
export function copiesOf(db: ArchiveDb, fileId: number): Promise<ArchiveCopyRow[]> {
  return db.selectFrom('archive_copies').selectAll().where('file_id', '=', fileId).orderBy('target').execute();
}

/** A run's copies with their files, for its manifest. */
export function copiesOfRun(db: ArchiveDb, runId: number) {
  return db
    .selectFrom('archive_copies')
    .innerJoin('files', 'files.id', 'archive_copies.file_id')
    .select(['files.name', 'files.store_key', 'files.version_label', 'archive_copies.size', 'archive_copies.sha256', 'archive_copies.location', 'archive_copies.backed_up_at', 'archive_copies.target'])
    .where('archive_copies.run_id', '=', runId)
    .orderBy('files.id')
    .execute();
}

export async function startRun(db: ArchiveDb, target: string): Promise<number> {
  const row = await db.insertInto('archive_runs').values({ target, state: 'running' }).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

/** Runs of `target` still marked running whose heartbeat stopped before `staleBefore` (a killed process). */
export function staleRuns(db: ArchiveDb, target: string, staleBefore: Date) {
  return db.selectFrom('archive_runs').select('id').where('target', '=', target).where('state', '=', 'running').where('heartbeat_at', '<', staleBefore).orderBy('id').execute();
}

export async function finishRun(db: ArchiveDb, runId: number, outcome: { state: 'done' | 'failed' | 'interrupted'; manifestKey?: string; error?: string }): Promise<void> {
  await db
    .updateTable('archive_runs')
    .set({ state: outcome.state, manifest_key: outcome.manifestKey ?? null, error: outcome.error ?? null, finished_at: new Date() })
    .where('id', '=', runId)
    .execute();
}

/** The items of `items` with no copy in `target` yet. */
export async function systemItemsWithoutCopy(db: ArchiveDb, target: string, items: readonly SystemItemSource[]): Promise<SystemItemSource[]> {
  if (items.length === 0) return [];
  const copied = await db.selectFrom('archive_system_copies').select('item_id').where('target', '=', target).where('item_id', 'in', items.map((i) => i.item.id)).execute();
  const done = new Set(copied.map((c) => c.item_id));
  return items.filter((i) => !done.has(i.item.id));
}

/** Records a verified copy of a system item (a bundle or mission configuration file). */
export async function recordSystemCopy(db: ArchiveDb, copy: Omit<ArchiveSystemCopiesTable, 'backed_up_at'>): Promise<void> {
  await db
    .insertInto('archive_system_copies')
    .values(copy)
    .onConflict((oc) => oc.columns(['item_id', 'target']).doUpdateSet({ location: copy.location, size: copy.size, sha256: copy.sha256, storage_class: copy.storage_class }))
    .execute();
}

/** A run's copies of system items, for its manifest. */
export function systemCopiesOfRun(db: ArchiveDb, runId: number) {
  return db
    .selectFrom('archive_system_copies as c')
    .innerJoin('archive_system_items as i', 'i.id', 'c.item_id')
    .select(['i.kind', 'i.owner', 'i.path', 'i.key', 'c.size', 'c.sha256', 'c.location', 'c.backed_up_at', 'c.target'])
    .where('c.run_id', '=', runId)
    .orderBy('i.id')
    .execute();
}
