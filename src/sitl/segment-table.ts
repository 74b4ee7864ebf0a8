import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { CatalogSchema, SitlSegmentsTable } from '../catalog/catalog-schema.js';
import { lockNames } from '../catalog/advisory-lock.js';
import type { BurstSegment, SegmentStatusUpdate } from './sitl-types.js';

type Db = Kysely<CatalogSchema> | Transaction<CatalogSchema>;

/** The burst data segment table of one mission (rows in sitl_segments). */
export function segmentFromRow(row: Selectable<SitlSegmentsTable>): BurstSegment {
  return {
    id: row.id,
    taiStart: row.tai_start,
    taiEnd: row.tai_end,
    parameterSetId: row.parameter_set_id,
    fom: row.fom,
    isPending: row.is_pending,
    inPlaylist: row.in_playlist,
    status: row.status,
    numEvalCycles: row.num_eval_cycles,
    sourceId: row.source_id,
    createTime: row.create_time,
    finishTime: row.finish_time,
    numBufs: row.num_bufs,
    allocBufs: row.alloc_bufs,
    remFiles: row.rem_files,
    discussion: row.discussion,
  };
}

function rowOf(mission: string, s: BurstSegment) {
  return {
    mission, id: s.id, tai_start: s.taiStart, tai_end: s.taiEnd, parameter_set_id: s.parameterSetId, fom: s.fom,
    is_pending: s.isPending, in_playlist: s.inPlaylist, status: s.status, num_eval_cycles: s.numEvalCycles, source_id: s.sourceId,
    create_time: s.createTime, finish_time: s.finishTime, num_bufs: s.numBufs, alloc_bufs: s.allocBufs, rem_files: s.remFiles, discussion: s.discussion,
  };
}

/** Inserts or replaces rows by id (the operations centre's table is the reference for its rows). */
export async function upsertSegments(trx: Transaction<CatalogSchema>, mission: string, segments: readonly BurstSegment[]): Promise<void> {
  for (let i = 0; i < segments.length; i += 500) {
    const rows = segments.slice(i, i + 500).map((s) => rowOf(mission, s));
    await trx
      .insertInto('sitl_segments')
      .values(rows)
      .onConflict((oc) =>
        oc.columns(['mission', 'id']).doUpdateSet((eb) => ({
          tai_start: eb.ref('excluded.tai_start'), tai_end: eb.ref('excluded.tai_end'), parameter_set_id: eb.ref('excluded.parameter_set_id'),
          fom: eb.ref('excluded.fom'), is_pending: eb.ref('excluded.is_pending'), in_playlist: eb.ref('excluded.in_playlist'), status: eb.ref('excluded.status'),
          num_eval_cycles: eb.ref('excluded.num_eval_cycles'), source_id: eb.ref('excluded.source_id'), create_time: eb.ref('excluded.create_time'),
          finish_time: eb.ref('excluded.finish_time'), num_bufs: eb.ref('excluded.num_bufs'), alloc_bufs: eb.ref('excluded.alloc_bufs'),
          rem_files: eb.ref('excluded.rem_files'), discussion: eb.ref('excluded.discussion'), updated_at: sql`now()`,
        })),
      )
      .execute();
    await recordHistory(trx, mission, segments.slice(i, i + 500).map((s) => ({ id: s.id, status: s.status, isPending: s.isPending, inPlaylist: s.inPlaylist })));
  }
}

/** Applies state changes; returns the ids that name no segment (left alone, reported). */
export async function applyStatusUpdates(trx: Transaction<CatalogSchema>, mission: string, updates: readonly SegmentStatusUpdate[]): Promise<number[]> {
  const unknown: number[] = [];
  for (const u of updates) {
    const set: Record<string, unknown> = { status: u.status, updated_at: sql`now()` };
    if (u.isPending !== undefined) set.is_pending = u.isPending;
    if (u.inPlaylist !== undefined) set.in_playlist = u.inPlaylist;
    if (u.numEvalCycles !== undefined) set.num_eval_cycles = u.numEvalCycles;
    if (u.finishTime !== undefined) set.finish_time = u.finishTime;
    const result = await trx.updateTable('sitl_segments').set(set).where('mission', '=', mission).where('id', '=', u.id).executeTakeFirst();
    if (result.numUpdatedRows === 0n) unknown.push(u.id);
  }
  const skipped = new Set(unknown);
  await recordHistory(trx, mission, updates.filter((u) => !skipped.has(u.id)));
  return unknown;
}

/** Appends the states just given to segments (the reports count buffers per state over time). */
export async function recordHistory(trx: Transaction<CatalogSchema>, mission: string, states: readonly { id: number; status: string; isPending?: boolean; inPlaylist?: boolean }[]): Promise<void> {
  for (let i = 0; i < states.length; i += 500) {
    const rows = states.slice(i, i + 500).map((s) => ({ mission, segment_id: s.id, status: s.status, is_pending: s.isPending ?? null, in_playlist: s.inPlaylist ?? null }));
    await trx.insertInto('sitl_segment_history').values(rows).execute();
  }
}

/** Segments whose data span [taiStart, taiEnd + cycle) meets [from, to). */
export async function segmentsOverlapping(db: Db, mission: string, from: number, to: number, cycleSeconds: number): Promise<BurstSegment[]> {
  const rows = await db.selectFrom('sitl_segments').selectAll().where('mission', '=', mission).where('tai_start', '<', to).where('tai_end', '>', from - cycleSeconds).orderBy('tai_start').execute();
  return rows.map(segmentFromRow);
}

export async function segmentsByIds(db: Db, mission: string, ids: readonly number[]): Promise<Map<number, BurstSegment>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('sitl_segments').selectAll().where('mission', '=', mission).where('id', 'in', [...ids]).execute();
  return new Map(rows.map((r) => [r.id, segmentFromRow(r)]));
}

/**
 * Ids for segments the SDC creates: above every id in the table, allocated under a lock so two
 * submissions never take the same one.
 */
export async function allocateSegmentIds(trx: Transaction<CatalogSchema>, mission: string, count: number): Promise<number[]> {
  if (count === 0) return [];
  await lockNames(trx, [`sitl-segment-ids:${mission}`]);
  const row = await trx.selectFrom('sitl_segments').select((eb) => eb.fn.max('id').as('max')).where('mission', '=', mission).executeTakeFirst();
  const first = Number(row?.max ?? 0) + 1;
  return Array.from({ length: count }, (_, i) => first + i);
}
