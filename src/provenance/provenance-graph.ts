import type { Kysely, Selectable } from 'kysely';
import type { CatalogSchema, FileRow, ProvenanceActivitiesTable } from '../catalog/catalog-schema.js';
import { descendantEdges, precursorEdges, type DerivationEdge } from './lineage-query.js';

export type ActivityRow = Selectable<ProvenanceActivitiesTable>;

export type LineageDirection = 'precursors' | 'descendants';

/**
 * A file and its lineage in one direction: the derivation edges, every file they touch, and the
 * recorded activity of every job that generated one of them.
 */
export interface ProvenanceGraph {
  root: FileRow;
  direction: LineageDirection;
  edges: DerivationEdge[];
  files: Map<number, FileRow>;
  activities: Map<number, ActivityRow>;
}

/** Walks the lineage (one recursive query), then loads the rows the edges name. */
export async function loadProvenanceGraph(db: Kysely<CatalogSchema>, root: FileRow, direction: LineageDirection): Promise<ProvenanceGraph> {
  const edges = direction === 'precursors' ? await precursorEdges(db, root.id) : await descendantEdges(db, root.id);
  const ids = [...new Set([root.id, ...edges.flatMap((e) => [e.fileId, e.usedFileId])])];
  const files = new Map<number, FileRow>();
  for (const chunk of chunks(ids)) {
    for (const file of await db.selectFrom('files').selectAll().where('id', 'in', chunk).execute()) files.set(file.id, file);
  }
  const jobIds = [...new Set([...files.values()].flatMap((f) => (f.job_id === null ? [] : [f.job_id])))];
  const activities = new Map<number, ActivityRow>();
  for (const chunk of chunks(jobIds)) {
    for (const activity of await db.selectFrom('provenance_activities').selectAll().where('job_id', 'in', chunk).execute()) activities.set(activity.job_id, activity);
  }
  return { root, direction, edges, files, activities };
}

/** Ids per `in (...)` list: well under the bind-parameter limit of PostgreSQL. */
function chunks<T>(items: readonly T[], size = 5000): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
