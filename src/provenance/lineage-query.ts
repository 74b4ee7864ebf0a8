import { sql, type Kysely, type Transaction } from 'kysely';
import type { CatalogSchema } from '../catalog/catalog-schema.js';

/** `fileId` was derived from `usedFileId` by job `jobId`. */
export interface DerivationEdge {
  fileId: number;
  usedFileId: number;
  jobId: number;
}

type Db = Kysely<CatalogSchema> | Transaction<CatalogSchema>;

/**
 * Every derivation above a file, to any depth: the file's inputs, their inputs, and so on, in
 * one recursive query. The recursion collects files, not edges, and `union` keeps each file
 * once, so a shared ancestor (a calibration table used by every day) is expanded once however
 * many paths lead to it (collecting edges would expand a file once per path: 10^5 paths for a
 * depth of 5 and a fan-in of 10); the edges are then read once per file. Every step is an
 * index-only scan of the primary key (file_id, used_file_id) include (job_id).
 */
export async function precursorEdges(db: Db, fileId: number): Promise<DerivationEdge[]> {
  const { rows } = await sql<EdgeRow>`
    with recursive up (id) as (
      select ${fileId}::bigint
      union
      select d.used_file_id from provenance_derivations d join up on d.file_id = up.id
    )
    select d.file_id, d.used_file_id, d.job_id from provenance_derivations d join up on d.file_id = up.id`.execute(db);
  return rows.map(toEdge);
}

/**
 * Every derivation below a file, to any depth: what was made from it, what was made from
 * those, and so on, in one recursive query built as `precursorEdges`, over the index
 * (used_file_id, file_id) include (job_id).
 */
export async function descendantEdges(db: Db, fileId: number): Promise<DerivationEdge[]> {
  const { rows } = await sql<EdgeRow>`
    with recursive down (id) as (
      select ${fileId}::bigint
      union
      select d.file_id from provenance_derivations d join down on d.used_file_id = down.id
    )
    select d.file_id, d.used_file_id, d.job_id from provenance_derivations d join down on d.used_file_id = down.id`.execute(db);
  return rows.map(toEdge);
}

interface EdgeRow {
  file_id: number | string;
  used_file_id: number | string;
  job_id: number | string;
}

function toEdge(row: EdgeRow): DerivationEdge {
  return { fileId: Number(row.file_id), usedFileId: Number(row.used_file_id), jobId: Number(row.job_id) };
}
