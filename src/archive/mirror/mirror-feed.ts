/** The mirror feed's catalog side: the change feed by cursor, the full manifest, mirror cursors. */
import { sql } from 'kysely';
import type { ArchiveDb, FileChange } from '../archive-tables.js';

/** One entry of the change feed (and of the manifest, with change `added`), as served to mirrors. */
export interface FeedEntry {
  cursor: number;
  change: FileChange;
  name: string;
  key: string;
  size: number;
  sha256: string;
  version: string;
}

/** Changes of a mission's production files after `after`, in ingestion order. */
export async function changesAfter(db: ArchiveDb, mission: string, after: number, limit: number): Promise<FeedEntry[]> {
  const rows = await db.selectFrom('file_changes').selectAll().where('mission', '=', mission).where('cursor', '>', after).orderBy('cursor').limit(limit).execute();
  return rows.map((r) => ({ cursor: r.cursor, change: r.change, name: r.name, key: r.store_key, size: r.size, sha256: r.sha256, version: r.version_label }));
}

/** The newest cursor of the feed (0 when empty). */
export async function latestCursor(db: ArchiveDb, mission: string): Promise<number> {
  const row = await db.selectFrom('file_changes').select(sql<number>`coalesce(max(cursor), 0)::bigint`.as('cursor')).where('mission', '=', mission).executeTakeFirstOrThrow();
  return Number(row.cursor);
}

/** Every production file present now (not withdrawn), each with the cursor of its `added` change. */
export async function fullManifest(db: ArchiveDb, mission: string): Promise<FeedEntry[]> {
  const rows = await db
    .selectFrom('files')
    .innerJoin('file_changes', (join) => join.onRef('file_changes.file_id', '=', 'files.id').on('file_changes.change', '=', 'added'))
    .select(['file_changes.cursor', 'files.name', 'files.store_key', 'files.size', 'files.sha256', 'files.version_label'])
    .where('files.mission', '=', mission)
    .where('files.tier', '=', 'production')
    .orderBy('file_changes.cursor')
    .execute();
  return rows.map((r) => ({ cursor: r.cursor, change: 'added' as const, name: r.name, key: r.store_key, size: r.size, sha256: r.sha256, version: r.version_label }));
}

/** Records a mirror's acknowledged cursor (registering it the first time); a cursor never moves back. */
export async function acknowledge(db: ArchiveDb, name: string, cursor: number): Promise<void> {
  await db
    .insertInto('mirrors')
    .values({ name, cursor, acknowledged_at: new Date() })
    .onConflict((oc) => oc.column('name').doUpdateSet({ cursor: sql`greatest(mirrors.cursor, excluded.cursor)`, acknowledged_at: new Date() }))
    .execute();
}

/** Every registered mirror with how many changes it is behind. */
export async function mirrorLag(db: ArchiveDb, mission: string): Promise<{ name: string; cursor: number; behind: number; acknowledgedAt: Date | null }[]> {
  const latest = await latestCursor(db, mission);
  const rows = await db.selectFrom('mirrors').selectAll().orderBy('name').execute();
  const behind = async (cursor: number) => {
    const row = await db.selectFrom('file_changes').select(sql<number>`count(*)::int`.as('n')).where('mission', '=', mission).where('cursor', '>', cursor).where('cursor', '<=', latest).executeTakeFirstOrThrow();
    return Number(row.n);
  };
  return Promise.all(rows.map(async (r) => ({ name: r.name, cursor: r.cursor, behind: await behind(r.cursor), acknowledgedAt: r.acknowledged_at })));
}
