/** The audit's catalog records: runs and their findings. */
import type { Insertable } from 'kysely';
import type { ArchiveDb, AuditFindingsTable } from './archive-tables.js';

export type NewFinding = Omit<Insertable<AuditFindingsTable>, 'run_id' | 'location'>;

export async function startAuditRun(db: ArchiveDb, location: string): Promise<number> {
  const row = await db.insertInto('audit_runs').values({ location, state: 'running' }).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

/** Records findings and returns their ids, in order. */
export async function recordFindings(db: ArchiveDb, runId: number, location: string, findings: readonly NewFinding[]): Promise<number[]> {
  if (findings.length === 0) return [];
  const rows = await db.insertInto('audit_findings').values(findings.map((f) => ({ ...f, run_id: runId, location }))).returning('id').execute();
  return rows.map((r) => r.id);
}

export async function recordRepair(db: ArchiveDb, findingId: number, repaired: boolean, note: string): Promise<void> {
  await db.updateTable('audit_findings').set({ repaired, repair: note }).where('id', '=', findingId).execute();
}

export async function finishAuditRun(db: ArchiveDb, runId: number, outcome: { state: 'done' | 'aborted' | 'failed'; checked: number; problems: number; repaired: number; note?: string }): Promise<void> {
  await db
    .updateTable('audit_runs')
    .set({ state: outcome.state, checked: outcome.checked, problems: outcome.problems, repaired: outcome.repaired, note: outcome.note ?? null, finished_at: new Date() })
    .where('id', '=', runId)
    .execute();
}
