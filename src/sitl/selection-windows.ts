import type { Kysely, Selectable, Transaction } from 'kysely';
import type { CatalogSchema, SitlWindowsTable } from '../catalog/catalog-schema.js';
import type { SelectionWindow, WindowSelections } from './sitl-types.js';

type Db = Kysely<CatalogSchema> | Transaction<CatalogSchema>;

/** Evaluation windows (rows of sitl_windows) of one mission. */
export function windowFromRow(row: Selectable<SitlWindowsTable>, cycleSeconds: number): SelectionWindow {
  const stored = (typeof row.selections === 'string' ? JSON.parse(row.selections) : row.selections) as WindowSelections;
  return {
    id: row.id,
    cycleStart: row.cycle_start,
    numCycles: row.num_cycles,
    cycleSeconds,
    evaluatedAt: row.evaluated_at,
    absFile: row.abs_file,
    uplinkedAt: row.uplinked_at,
    uplinkedBy: row.uplinked_by,
    closeTai: row.close_tai,
    closesAt: row.closes_at,
    selections: stored.selections,
    mdq: stored.mdq,
    parameters: stored.parameters,
  };
}

export async function insertWindow(trx: Transaction<CatalogSchema>, mission: string, w: { cycleStart: number; numCycles: number; evaluatedAt: Date; closesAt: Date | null; sourceFile: string; absFile: string; selections: WindowSelections }): Promise<number> {
  const row = await trx
    .insertInto('sitl_windows')
    .values({ mission, cycle_start: w.cycleStart, num_cycles: w.numCycles, evaluated_at: w.evaluatedAt, closes_at: w.closesAt, source_file: w.sourceFile, abs_file: w.absFile, selections: JSON.stringify(w.selections) })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function findWindow(db: Db, mission: string, id: number, cycleSeconds: number): Promise<SelectionWindow | undefined> {
  const row = await db.selectFrom('sitl_windows').selectAll().where('mission', '=', mission).where('id', '=', id).executeTakeFirst();
  return row && windowFromRow(row, cycleSeconds);
}

/** Windows, newest evaluation first. */
export async function listWindows(db: Db, mission: string, cycleSeconds: number, limit: number): Promise<SelectionWindow[]> {
  const rows = await db.selectFrom('sitl_windows').selectAll().where('mission', '=', mission).orderBy('evaluated_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
  return rows.map((r) => windowFromRow(r, cycleSeconds));
}

/**
 * Closes a window (the final uplink). Conditional on it being open, so that of two uplinks at
 * once exactly one wins; returns false when it was already closed.
 */
export async function closeWindow(trx: Transaction<CatalogSchema>, id: number, by: string, closeTai: number): Promise<boolean> {
  const result = await trx.updateTable('sitl_windows').set({ uplinked_at: new Date(), uplinked_by: by, close_tai: closeTai }).where('id', '=', id).where('uplinked_at', 'is', null).executeTakeFirst();
  return result.numUpdatedRows === 1n;
}

/**
 * The window a submission file names by its first cycle and length: the one evaluated at
 * `evaluatedAt` when given and found, else the latest evaluated (metadata arriving again for a
 * span makes another window with the same cycles).
 */
export async function findWindowByCycles(db: Db, mission: string, span: { cycleStart: number; numCycles: number; evaluatedAt?: Date }, cycleSeconds: number): Promise<SelectionWindow | undefined> {
  const rows = await db.selectFrom('sitl_windows').selectAll().where('mission', '=', mission).where('cycle_start', '=', span.cycleStart).where('num_cycles', '=', span.numCycles).orderBy('evaluated_at', 'desc').orderBy('id', 'desc').execute();
  const row = rows.find((r) => span.evaluatedAt && r.evaluated_at.getTime() === span.evaluatedAt.getTime()) ?? rows[0];
  return row && windowFromRow(row, cycleSeconds);
}
