import type { Kysely } from 'kysely';
import type { CatalogSchema } from '../catalog/catalog-schema.js';
import { segmentsOverlapping } from './segment-table.js';
import type { FomCategory, SitlConfig } from './sitl-config.js';
import type { Selection, SelectionWindow } from './sitl-types.js';

/** Selections and buffers of one FOM category. */
export interface CategoryCount {
  category: number;
  from: number;
  to: number;
  selections: number;
  buffers: number;
}

/** A set of selections summarised: the selections themselves and their buffers per category. */
export interface SelectionSummary {
  selections: Selection[];
  buffers: number;
  byCategory: CategoryCount[];
  /** Buffers of selections whose FOM is in no category. */
  uncategorisedBuffers: number;
}

/** Buffers of the window's segments in each state after one change of the segment table. */
export interface BufferStates {
  at: Date;
  held: number;
  overwritten: number;
  transmitted: number;
}

export interface WindowReport {
  windowId: number;
  closed: boolean;
  closesAt: Date | null;
  automated: SelectionSummary;
  /** What the SITL selected: the uplink of a closed window, else its latest draft; null before any submission. */
  selected: (SelectionSummary & { submissionId: number; kind: string; by: string; at: Date }) | null;
  submissions: { id: number; kind: string; submittedBy: string; submittedAt: Date; selections: number; buffers: number; note: string }[];
  /** The segments the window's data span meets, as they are now. */
  segments: { id: number; taiStart: number; taiEnd: number; buffers: number; fom: number; status: string; sourceId: string }[];
  /** Held, overwritten and transmitted buffers of those segments after each recorded change. */
  bufferHistory: BufferStates[];
}

/**
 * The state words the counts read, as the SITL tools interpret them: "held" = HELD (awaiting
 * downlink), "overwritten" = DEMOTED or DERELICT and not INCOMPLETE, "transmitted" = COMPLETE
 * and FINISHED. A status is flags joined by `+`.
 */
export function bufferState(status: string): 'held' | 'overwritten' | 'transmitted' | undefined {
  const flags = new Set(status.split('+'));
  if (flags.has('COMPLETE') && flags.has('FINISHED')) return 'transmitted';
  if ((flags.has('DEMOTED') || flags.has('DERELICT')) && !flags.has('INCOMPLETE')) return 'overwritten';
  if (flags.has('HELD')) return 'held';
  return undefined;
}

export function summarise(selections: readonly Selection[], categories: readonly FomCategory[]): SelectionSummary {
  const byCategory = [...categories].sort((a, b) => a.id - b.id).map((c) => ({ category: c.id, from: c.from, to: c.to, selections: 0, buffers: 0 }));
  let uncategorisedBuffers = 0;
  let buffers = 0;
  for (const s of selections) {
    const length = s.stop - s.start + 1;
    buffers += length;
    const bucket = byCategory.find((c) => s.fom >= c.from && s.fom < c.to);
    if (!bucket) {
      uncategorisedBuffers += length;
      continue;
    }
    bucket.selections += 1;
    bucket.buffers += length;
  }
  return { selections: [...selections], buffers, byCategory, uncategorisedBuffers };
}

interface StoredBody {
  selections?: Selection[];
  note?: string;
}

/** The report of one window: what was selected, by whom, per category, and what became of its segments. */
export async function windowReport(db: Kysely<CatalogSchema>, mission: string, config: SitlConfig, window: SelectionWindow): Promise<WindowReport> {
  const cycle = config.cycleSeconds;
  const rows = await db.selectFrom('sitl_submissions').select(['id', 'kind', 'submitted_by', 'submitted_at', 'body']).where('mission', '=', mission).where('window_id', '=', window.id).orderBy('id').execute();
  const submissions = rows.map((r) => {
    const body = (typeof r.body === 'string' ? JSON.parse(r.body) : r.body) as StoredBody;
    const selections = body.selections ?? [];
    return { id: r.id, kind: r.kind, submittedBy: r.submitted_by, submittedAt: r.submitted_at, selections, note: body.note ?? '' };
  });
  const chosen = submissions.find((s) => s.kind === 'uplink') ?? submissions.at(-1);
  const segments = await segmentsOverlapping(db, mission, window.cycleStart, window.cycleStart + window.numCycles * cycle, cycle);
  const buffersOf = (s: { taiStart: number; taiEnd: number }) => Math.floor((s.taiEnd - s.taiStart) / cycle) + 1;
  return {
    windowId: window.id,
    closed: window.uplinkedAt !== null,
    closesAt: window.closesAt,
    automated: summarise(window.selections, config.categories),
    selected: chosen ? { ...summarise(chosen.selections, config.categories), submissionId: chosen.id, kind: chosen.kind, by: chosen.submittedBy, at: chosen.submittedAt } : null,
    submissions: submissions.map((s) => ({ id: s.id, kind: s.kind, submittedBy: s.submittedBy, submittedAt: s.submittedAt, selections: s.selections.length, buffers: s.selections.reduce((n, x) => n + x.stop - x.start + 1, 0), note: s.note })),
    segments: segments.map((s) => ({ id: s.id, taiStart: s.taiStart, taiEnd: s.taiEnd, buffers: buffersOf(s), fom: s.fom, status: s.status, sourceId: s.sourceId })),
    bufferHistory: await bufferHistory(db, mission, new Map(segments.map((s) => [s.id, buffersOf(s)]))),
  };
}

/** Replays the recorded states of the segments; one point per recording time (one transaction). */
async function bufferHistory(db: Kysely<CatalogSchema>, mission: string, buffers: ReadonlyMap<number, number>): Promise<BufferStates[]> {
  if (buffers.size === 0) return [];
  const rows = await db.selectFrom('sitl_segment_history').select(['segment_id', 'status', 'recorded_at']).where('mission', '=', mission).where('segment_id', 'in', [...buffers.keys()]).orderBy('id').execute();
  const current = new Map<number, ReturnType<typeof bufferState>>();
  const points: BufferStates[] = [];
  for (const row of rows) {
    current.set(row.segment_id, bufferState(row.status));
    const totals = { held: 0, overwritten: 0, transmitted: 0 };
    for (const [id, state] of current) if (state) totals[state] += buffers.get(id) ?? 0;
    const last = points.at(-1);
    if (last && last.at.getTime() === row.recorded_at.getTime()) Object.assign(last, totals);
    else points.push({ at: row.recorded_at, ...totals });
  }
  return points;
}
