import { sql, type Kysely, type SelectQueryBuilder } from 'kysely';
import type { CatalogSchema, FileRow } from '../../catalog/catalog-schema.js';
import { overlapsFrom } from '../../catalog/file-catalog.js';
import type { Principal } from '../access/principal.js';
import { visibleTo } from './file-visibility.js';

/** Catalog columns a search can filter on, each by a list of values (any of). */
export const FILTER_FIELDS = ['kind', 'product', 'spacecraft', 'instrument', 'mode', 'level', 'descriptor', 'data_type', 'version_label', 'name', 'stem'] as const;
export type FilterField = (typeof FILTER_FIELDS)[number];

/** The mission's file-name fields (as rules and the JSON API name them) and their catalog columns. */
export const FIELD_COLUMNS = {
  kind: 'kind',
  product: 'product',
  spacecraft: 'spacecraft',
  instrument: 'instrument',
  mode: 'mode',
  level: 'level',
  descriptor: 'descriptor',
  dataType: 'data_type',
} as const satisfies Record<string, FilterField>;

/** A search of the files one principal may see. */
export interface FileSearch {
  mission: string;
  principal: Principal;
  /** Per column, the accepted values; `null` in a list also accepts files without a value. */
  filters?: Partial<Record<FilterField, readonly (string | null)[]>>;
  /** `start`: files starting in [from, to]; `overlap`: files whose span overlaps [from, to]. */
  time?: { mode: 'start' | 'overlap'; from?: Date | undefined; to?: Date | undefined };
  /** Only the newest visible version of each file. */
  latestOnly: boolean;
  /** Only the files a named release snapshot pins. */
  release?: string | undefined;
  order: 'start-asc' | 'start-desc';
  /** Rows after this position (cursor pagination, in `order`). */
  after?: { start: Date; id: number } | undefined;
  limit: number;
}

type FilesQuery = SelectQueryBuilder<CatalogSchema, 'files', FileRow>;

/**
 * Runs a search in one statement: filters and visibility inside, then DISTINCT ON the stem for
 * the latest version, then order, cursor and limit outside.
 */
export async function searchVisibleFiles(db: Kysely<CatalogSchema>, search: FileSearch): Promise<FileRow[]> {
  const inner = visibleFilesQuery(db, search);
  const desc = search.order === 'start-desc';
  let outer = db.selectFrom(inner.as('files')).selectAll();
  const after = search.after;
  if (after) {
    outer = outer.where((eb) => eb(eb.refTuple('files.start_time', 'files.id'), desc ? '<' : '>', eb.tuple(after.start, after.id)));
  }
  const direction = desc ? 'desc' : 'asc';
  return (await outer.orderBy('files.start_time', direction).orderBy('files.id', direction).limit(search.limit).execute()) as FileRow[];
}

/** The files of a search before ordering and paging (latest versions chosen when asked), for aggregates. */
export function visibleFilesQuery(db: Kysely<CatalogSchema>, search: Omit<FileSearch, 'order' | 'after' | 'limit'>): FilesQuery {
  const q = filtered(db, search);
  return search.latestOnly ? q.distinctOn('files.stem').orderBy('files.stem').orderBy('files.version', 'desc') : q;
}

function filtered(db: Kysely<CatalogSchema>, search: Omit<FileSearch, 'order' | 'after' | 'limit'>): FilesQuery {
  let q = db.selectFrom('files').selectAll('files').where('files.mission', '=', search.mission).where('files.tier', '=', 'production').where(visibleTo(search.principal));
  for (const [field, values] of Object.entries(search.filters ?? {}) as [FilterField, readonly (string | null)[]][]) {
    const present = values.filter((v): v is string => v !== null);
    const acceptsNull = present.length < values.length;
    q = q.where((eb) => {
      const parts = [];
      if (present.length > 0) parts.push(eb(`files.${field}`, 'in', present));
      if (acceptsNull) parts.push(eb(`files.${field}`, 'is', null));
      return parts.length === 0 ? eb.lit(false) : eb.or(parts);
    });
  }
  const time = search.time;
  if (time?.from) {
    const from = time.from;
    q = time.mode === 'start' ? q.where('files.start_time', '>=', from) : q.where(overlapsFrom(search.mission, from));
  }
  if (time?.to) q = q.where('files.start_time', '<=', time.to);
  if (search.release !== undefined) {
    const release = search.release;
    q = q.where((eb) =>
      eb.exists(
        eb.selectFrom('release_snapshot_files as rf').innerJoin('release_snapshots as rs', 'rs.id', 'rf.snapshot_id').select('rf.file_id').whereRef('rf.file_id', '=', 'files.id').where('rs.name', '=', release).where('rs.mission', '=', search.mission),
      ),
    );
  }
  return q;
}
