import { sql, type Kysely } from 'kysely';
import { DateTime, Duration } from 'luxon';
import type { CatalogSchema, JobState } from '../catalog/catalog-schema.js';
import { SdcError } from '../errors/sdc-error.js';
import { matchesFields } from '../jobs/field-match.js';
import type { LatencyThresholdConfig } from '../mission/mission-schema.js';

/** The three latencies, each counted from the end time of the data. */
export const LATENCY_STAGES = ['arrival', 'available', 'released'] as const;
export type LatencyStage = (typeof LATENCY_STAGES)[number];

/** Median and largest latency of one stage over a product's files, and the files still waiting. */
export interface StageLatency {
  medianSeconds: number | null;
  maxSeconds: number | null;
  /** Files not at this stage yet (not released, for instance). */
  pending: number;
  /** The mission's threshold for this product and stage, if any. */
  thresholdSeconds: number | null;
}

export interface ProductLatency {
  product: string;
  kind: string;
  level: string | null;
  /** Distinct files (stems) of the day; versions of one file count once, from its first version. */
  files: number;
  arrival: StageLatency;
  available: StageLatency;
  released: StageLatency;
}

/** One file later than its threshold (done late, or still waiting past it). */
export interface LateItem {
  product: string;
  stem: string;
  stage: LatencyStage;
  /** The latency, or for a file still waiting its age so far. */
  seconds: number;
  thresholdSeconds: number;
  waiting: boolean;
}

export interface FailedJob {
  id: number;
  processor: string;
  version: string;
  tier: string;
  state: JobState;
  groupKey: string;
  attempts: number;
  error: string | null;
}

/** The latency report of one day of data. */
export interface LatencyReport {
  mission: string;
  /** The data day (UTC) the report covers: files whose data start on it. */
  day: string;
  generatedAt: string;
  products: ProductLatency[];
  late: LateItem[];
  /** Jobs of that day that failed or died (or are waiting to retry). */
  failedJobs: FailedJob[];
}

/** A day that is not `YYYY-MM-DD`. */
export class InvalidReportDayError extends SdcError {
  constructor(day: string) {
    super('invalid-request', `a report day looks like 2015-10-16, got '${day}'`, { day });
  }
}

interface StemRow {
  stem: string;
  product: string;
  kind: string;
  spacecraft: string | null;
  instrument: string | null;
  mode: string | null;
  level: string | null;
  descriptor: string | null;
  data_type: string | null;
  end_time: Date;
  available_at: Date;
  released_at: Date | null;
  arrived_at: Date | null;
}

/**
 * The latencies of one day of a mission's production data, per product, from catalog times:
 * - arrival: end of the data to the arrival of the last raw input it was made from (for a raw
 *   file, its own arrival), found by walking job inputs up to files that did not come from a job;
 * - available: end of the data to the first version of the file in the catalog;
 * - released: end of the data to the first version becoming public.
 */
export async function latencyReport(db: Kysely<CatalogSchema>, mission: string, thresholds: readonly LatencyThresholdConfig[], day: string, now = new Date()): Promise<LatencyReport> {
  const start = DateTime.fromFormat(day, 'yyyy-MM-dd', { zone: 'utc' });
  if (!start.isValid || !/^\d{4}-\d{2}-\d{2}$/.test(day)) throw new InvalidReportDayError(day);
  const from = start.toJSDate();
  const to = start.plus({ days: 1 }).toJSDate();
  const stems = await stemLatencies(db, mission, from, to);
  const byProduct = new Map<string, StemRow[]>();
  for (const row of stems) byProduct.set(row.product, [...(byProduct.get(row.product) ?? []), row]);
  const products: ProductLatency[] = [];
  const late: LateItem[] = [];
  for (const [product, rows] of [...byProduct].sort(([a], [b]) => a.localeCompare(b))) {
    const first = rows[0] as StemRow;
    const threshold = thresholds.find((t) => matchesFields({ ...first, dataType: first.data_type }, t.match));
    const entry: ProductLatency = { product, kind: first.kind, level: first.level, files: rows.length, arrival: emptyStage(), available: emptyStage(), released: emptyStage() };
    for (const stage of LATENCY_STAGES) {
      const limit = threshold?.[stage] ? Duration.fromISO(threshold[stage]).as('seconds') : null;
      const done: number[] = [];
      let pending = 0;
      for (const row of rows) {
        const at = stageTime(row, stage);
        const seconds = ((at ?? now).getTime() - row.end_time.getTime()) / 1000;
        if (at) done.push(seconds);
        else pending += 1;
        if (limit !== null && seconds > limit) late.push({ product, stem: row.stem, stage, seconds, thresholdSeconds: limit, waiting: !at });
      }
      entry[stage] = { ...summarise(done), pending, thresholdSeconds: limit };
    }
    products.push(entry);
  }
  return { mission, day, generatedAt: now.toISOString(), products, late, failedJobs: await failedJobs(db, mission, from, to) };
}

function stageTime(row: StemRow, stage: LatencyStage): Date | null {
  if (stage === 'arrival') return row.arrived_at;
  if (stage === 'available') return row.available_at;
  return row.released_at;
}

function emptyStage(): StageLatency {
  return { medianSeconds: null, maxSeconds: null, pending: 0, thresholdSeconds: null };
}

function summarise(values: number[]): Pick<StageLatency, 'medianSeconds' | 'maxSeconds'> {
  if (values.length === 0) return { medianSeconds: null, maxSeconds: null };
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
  return { medianSeconds: median, maxSeconds: sorted.at(-1) as number };
}

/** One row per file (stem) whose data start in [from, to), with its first version's times and its raw inputs' last arrival. */
async function stemLatencies(db: Kysely<CatalogSchema>, mission: string, from: Date, to: Date): Promise<StemRow[]> {
  const result = await sql<StemRow & { first_id: number }>`
    with recursive stems as (
      select f.stem, f.product, f.kind, f.spacecraft, f.instrument, f.mode, f.level, f.descriptor, f.data_type,
             max(f.end_time) as end_time, min(f.ingested_at) as available_at, min(f.released_at) as released_at,
             (array_agg(f.id order by f.ingested_at, f.id))[1] as first_id
      from files f
      where f.mission = ${mission} and f.tier = 'production' and f.start_time >= ${from} and f.start_time < ${to}
      group by f.stem, f.product, f.kind, f.spacecraft, f.instrument, f.mode, f.level, f.descriptor, f.data_type
    ),
    ancestry (root, id) as (
      select first_id, first_id from stems
      union
      select a.root, ji.file_id from ancestry a join files f on f.id = a.id join job_inputs ji on ji.job_id = f.job_id
    ),
    arrivals as (
      select a.root, max(f.ingested_at) as arrived_at from ancestry a join files f on f.id = a.id where f.source <> 'job' group by a.root
    )
    select s.*, r.arrived_at from stems s left join arrivals r on r.root = s.first_id
    order by s.product, s.stem`.execute(db);
  return result.rows.map((r) => ({ ...r, end_time: new Date(r.end_time), available_at: new Date(r.available_at), released_at: r.released_at ? new Date(r.released_at) : null, arrived_at: r.arrived_at ? new Date(r.arrived_at) : null }));
}

async function failedJobs(db: Kysely<CatalogSchema>, mission: string, from: Date, to: Date): Promise<FailedJob[]> {
  const rows = await db
    .selectFrom('jobs')
    .select(['id', 'processor', 'processor_version', 'tier', 'state', 'group_key', 'attempts', 'error'])
    .where('mission', '=', mission)
    .where('state', 'in', ['dead', 'failed', 'retrying'])
    .where('window_start', '>=', from)
    .where('window_start', '<', to)
    .orderBy('id')
    .execute();
  return rows.map((j) => ({ id: j.id, processor: j.processor, version: j.processor_version, tier: j.tier, state: j.state, groupKey: j.group_key, attempts: j.attempts, error: j.error }));
}
