import { sql, type Expression, type Kysely, type Transaction } from 'kysely';
import type { CatalogSchema, FileRow } from './catalog-schema.js';

type Db = Kysely<CatalogSchema> | Transaction<CatalogSchema>;

/** Filters of a file search; every field is optional and they combine with AND. */
export interface FileQuery {
  mission: string;
  tier?: 'production' | 'staging';
  kind?: string;
  product?: string;
  spacecraft?: string[];
  instrument?: string[];
  mode?: string[];
  level?: string[];
  descriptor?: string[];
  /** Files whose time range overlaps [from, to). */
  from?: Date;
  to?: Date;
  /** Only the newest version of each file (stem). */
  latestOnly?: boolean;
  limit?: number;
}

/** The catalogued files of these names in a tier. */
export async function findFilesByName(db: Db, mission: string, names: readonly string[], tier: 'production' | 'staging'): Promise<FileRow[]> {
  if (names.length === 0) return [];
  return db.selectFrom('files').selectAll().where('mission', '=', mission).where('tier', '=', tier).where('name', 'in', [...names]).execute();
}

/** The catalogued file of that name in a tier, if any. */
export async function findFileByName(db: Db, mission: string, name: string, tier: 'production' | 'staging' = 'production'): Promise<FileRow | undefined> {
  return db.selectFrom('files').selectAll().where('mission', '=', mission).where('tier', '=', tier).where('name', '=', name).executeTakeFirst();
}

export async function findFileById(db: Db, id: number): Promise<FileRow | undefined> {
  return db.selectFrom('files').selectAll().where('id', '=', id).executeTakeFirst();
}

/** A catalogued file without its content metadata (a CDF's attributes and variables: kilobytes a file). */
export type FileSummary = Omit<FileRow, 'metadata'>;

/** Every column of `files` but `metadata`; a record, so that a column added later must be listed. */
const SUMMARY_COLUMNS = Object.keys({
  id: true, mission: true, name: true, kind: true, product: true, stem: true, spacecraft: true, instrument: true, mode: true, level: true,
  descriptor: true, data_type: true, start_time: true, end_time: true, version: true, version_label: true, size: true, sha256: true,
  store_key: true, tier: true, source: true, job_id: true, ingested_at: true, released_at: true,
} satisfies Record<keyof FileSummary, true>) as (keyof FileSummary)[];

/**
 * Searches the catalog. With `latestOnly`, one query returns the newest version of each file
 * (DISTINCT ON the stem, versions compared numerically as int arrays). Ordered by start time.
 */
export async function searchFiles(db: Db, query: FileQuery): Promise<FileRow[]> {
  return (await search(db, query, true)) as FileRow[];
}

/** The same search without the files' metadata, for code that reads many rows and not their content. */
export function searchFileSummaries(db: Db, query: FileQuery): Promise<FileSummary[]> {
  return search(db, query, false);
}

async function search(db: Db, query: FileQuery, withMetadata: boolean): Promise<FileSummary[]> {
  let q = db.selectFrom('files').select(withMetadata ? [...SUMMARY_COLUMNS, 'metadata'] : SUMMARY_COLUMNS).where('mission', '=', query.mission).where('tier', '=', query.tier ?? 'production');
  if (query.kind) q = q.where('kind', '=', query.kind);
  if (query.product) q = q.where('product', '=', query.product);
  for (const field of ['spacecraft', 'instrument', 'mode', 'level', 'descriptor'] as const) {
    const values = query[field];
    if (values && values.length > 0) q = q.where(field, 'in', values);
  }
  if (query.to) q = q.where('start_time', '<', query.to);
  const from = query.from;
  if (from) q = q.where(overlapsFrom(query.mission, from));
  if (query.latestOnly) {
    const latest = q.distinctOn('stem').orderBy('stem').orderBy('version', 'desc').as('latest');
    let outer = db.selectFrom(latest).selectAll().orderBy('start_time').orderBy('name');
    if (query.limit) outer = outer.limit(query.limit);
    return outer.execute();
  }
  let ordered = q.orderBy('start_time').orderBy('name');
  if (query.limit) ordered = ordered.limit(query.limit);
  return ordered.execute();
}

/**
 * Whether a file of `table` (a name or alias of `files`) reaches past `from`: it ends after it,
 * or, with no span (end = start), starts at or after it. The start is also bounded below: no
 * file overlapping `from` starts before `from` minus the mission's longest file span (read from
 * the `files_span` index), which lets the search use a start-time index range instead of
 * scanning every earlier file. `mission` and `from` are values or SQL expressions (columns of
 * the row a statement works on).
 */
export function overlapsFrom(mission: string | Expression<string>, from: Date | Expression<Date>, table = 'files') {
  const start = sql.ref(`${table}.start_time`);
  const earliestStart = sql`${from}::timestamptz - (select max(s.end_time - s.start_time) from files s where s.mission = ${mission})`;
  return sql<boolean>`(${sql.ref(`${table}.end_time`)} > ${from} or ${start} >= ${from}) and ${start} >= ${earliestStart}`;
}

/** The newest version of the same file (mission, tier, stem) that is newer than `file`, if any. */
export function newestNewerVersion(db: Db, file: Pick<FileRow, 'id' | 'mission' | 'tier' | 'stem'>): Promise<Pick<FileRow, 'name' | 'sha256'> | undefined> {
  return db
    .selectFrom('files')
    .select(['name', 'sha256'])
    .where('mission', '=', file.mission)
    .where('tier', '=', file.tier)
    .where('stem', '=', file.stem)
    .where(sql<boolean>`version > (select v.version from files v where v.id = ${file.id})`)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
}
