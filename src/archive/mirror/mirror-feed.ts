/**
 * The mirror feeds' catalog side: the change feed by cursor, the full manifest, mirror cursors.
 * Two feeds: `team` (every production file, cursor in ingestion order: `file_changes`) and
 * `public` (released files only, cursor in release order: `public_file_changes`).
 */
import { sql } from 'kysely';
import { SdcError } from '../../errors/sdc-error.js';
import type { ArchiveDb, FileChange, MirrorFeed } from '../archive-tables.js';

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

/** A mirror registered under another account, or acknowledging the other feed. */
export class MirrorRegistrationError extends SdcError {
  constructor(readonly reason: 'feed' | 'account', message: string, details: Record<string, unknown>) {
    super('invalid-request', message, details);
  }
}

function changesTable(feed: MirrorFeed): 'file_changes' | 'public_file_changes' {
  return feed === 'public' ? 'public_file_changes' : 'file_changes';
}

/** Changes of a mission's feed after `after`, in feed order. */
export async function changesAfter(db: ArchiveDb, feed: MirrorFeed, mission: string, after: number, limit: number): Promise<FeedEntry[]> {
  const rows = await db.selectFrom(changesTable(feed)).selectAll().where('mission', '=', mission).where('cursor', '>', after).orderBy('cursor').limit(limit).execute();
  return rows.map((r) => ({ cursor: Number(r.cursor), change: r.change, name: r.name, key: r.store_key, size: Number(r.size), sha256: r.sha256, version: r.version_label }));
}

/** The newest cursor of the feed (0 when empty). */
export async function latestCursor(db: ArchiveDb, feed: MirrorFeed, mission: string): Promise<number> {
  const row = await db.selectFrom(changesTable(feed)).select(sql<number>`coalesce(max(cursor), 0)::bigint`.as('cursor')).where('mission', '=', mission).executeTakeFirstOrThrow();
  return Number(row.cursor);
}

/**
 * Every file of the feed present now, each with the cursor of its (latest) `added` change: every
 * production file (team), or every released one (public).
 */
export async function fullManifest(db: ArchiveDb, feed: MirrorFeed, mission: string): Promise<FeedEntry[]> {
  const table = changesTable(feed);
  let query = db
    .selectFrom('files')
    .innerJoin(
      (eb) => eb.selectFrom(table).select(['file_id', sql<number>`max(cursor)`.as('cursor')]).where('change', '=', 'added').where('mission', '=', mission).groupBy('file_id').as('added'),
      (join) => join.onRef('added.file_id', '=', 'files.id'),
    )
    .select(['added.cursor', 'files.name', 'files.store_key', 'files.size', 'files.sha256', 'files.version_label'])
    .where('files.mission', '=', mission)
    .where('files.tier', '=', 'production');
  if (feed === 'public') query = query.where('files.released_at', 'is not', null);
  const rows = await query.orderBy('added.cursor').execute();
  return rows.map((r) => ({ cursor: Number(r.cursor), change: 'added' as const, name: r.name, key: r.store_key, size: Number(r.size), sha256: r.sha256, version: r.version_label }));
}

/**
 * Records a mirror's acknowledged cursor, registering it the first time under `account` and
 * `feed`; a cursor never moves back. A mirror stays with its feed (cursors of the two feeds do not
 * compare) and its account (another account may not move it; an operator may: `asOperator`).
 */
export async function acknowledge(db: ArchiveDb, mirror: { name: string; feed: MirrorFeed; account: string; asOperator: boolean }, cursor: number): Promise<void> {
  const existing = await db.selectFrom('mirrors').select(['feed', 'account']).where('name', '=', mirror.name).executeTakeFirst();
  if (existing && existing.feed !== mirror.feed) throw new MirrorRegistrationError('feed', `mirror '${mirror.name}' follows the ${existing.feed} feed, not the ${mirror.feed} feed`, { mirror: mirror.name, feed: existing.feed });
  if (existing?.account && existing.account !== mirror.account && !mirror.asOperator) {
    throw new MirrorRegistrationError('account', `mirror '${mirror.name}' is registered to another account`, { mirror: mirror.name });
  }
  await db
    .insertInto('mirrors')
    .values({ name: mirror.name, cursor, feed: mirror.feed, account: mirror.account, acknowledged_at: new Date() })
    // A mirror registered before mirrors had accounts is claimed by the first account that moves it.
    .onConflict((oc) => oc.column('name').doUpdateSet({ cursor: sql`greatest(mirrors.cursor, excluded.cursor)`, account: sql`coalesce(mirrors.account, excluded.account)`, acknowledged_at: new Date() }))
    .execute();
}

/** Every registered mirror with its feed and how many changes of it the mirror is behind. */
export async function mirrorLag(db: ArchiveDb, mission: string): Promise<{ name: string; feed: MirrorFeed; cursor: number; behind: number; acknowledgedAt: Date | null }[]> {
  const rows = await db.selectFrom('mirrors').selectAll().orderBy('name').execute();
  const behind = async (feed: MirrorFeed, cursor: number) => {
    const row = await db.selectFrom(changesTable(feed)).select(sql<number>`count(*)::int`.as('n')).where('mission', '=', mission).where('cursor', '>', cursor).executeTakeFirstOrThrow();
    return Number(row.n);
  };
  return Promise.all(rows.map(async (r) => ({ name: r.name, feed: r.feed, cursor: Number(r.cursor), behind: await behind(r.feed, Number(r.cursor)), acknowledgedAt: r.acknowledged_at })));
}
