import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { CatalogSchema, FileRow, JobRow, JobState } from '../catalog/catalog-schema.js';
import { SdcError } from '../errors/sdc-error.js';

export const JOB_STATES: readonly JobState[] = ['queued', 'running', 'succeeded', 'failed', 'retrying', 'dead'];

/** Filters of `sdc jobs`; every one optional. */
export interface JobFilter {
  states?: JobState[];
  /** A processor name, or `name@version`. */
  processor?: string;
  tier?: 'production' | 'staging';
  /** The instrument of the processor's manifest. */
  instrument?: string;
  campaignId?: number;
  /** Jobs created at or after. */
  since?: Date;
  limit?: number;
}

/** A job as listed: its row without the log, and the instrument of its processor. */
export type JobSummary = Omit<JobRow, 'log' | 'inputs'> & { instrument: string | null };

/** Jobs of the mission matching the filter, newest first. */
export async function listJobs(db: Kysely<CatalogSchema>, mission: string, filter: JobFilter = {}): Promise<JobSummary[]> {
  let query = db
    .selectFrom('jobs as j')
    .leftJoin('processor_deployments as d', 'd.id', 'j.deployment_id')
    .select(['j.id', 'j.mission', 'j.rule', 'j.processor', 'j.processor_version', 'j.tier', 'j.group_key', 'j.window_start', 'j.window_end', 'j.inputs_hash', 'j.state', 'j.attempts', 'j.exit_code', 'j.host', 'j.error',
      'j.created_at', 'j.started_at', 'j.finished_at', 'j.priority', 'j.campaign_id', 'j.deployment_id', sql<string | null>`d.manifest->>'instrument'`.as('instrument')])
    .where('j.mission', '=', mission);
  if (filter.states && filter.states.length > 0) query = query.where('j.state', 'in', filter.states);
  if (filter.processor) {
    const [name, version] = filter.processor.split('@');
    query = query.where('j.processor', '=', name!);
    if (version) query = query.where('j.processor_version', '=', version);
  }
  if (filter.tier) query = query.where('j.tier', '=', filter.tier);
  if (filter.instrument) query = query.where(sql<string>`d.manifest->>'instrument'`, '=', filter.instrument);
  if (filter.campaignId !== undefined) query = query.where('j.campaign_id', '=', filter.campaignId);
  if (filter.since) query = query.where('j.created_at', '>=', filter.since);
  return query.orderBy('j.id', 'desc').limit(filter.limit ?? 100).execute();
}

/** One job with its inputs (as catalogued now) and the files it wrote. */
export interface JobDetail {
  job: JobRow;
  inputs: { fileId: number; name: string; sha256: string; file: FileRow | undefined }[];
  outputs: FileRow[];
}

export async function jobDetail(db: Kysely<CatalogSchema>, mission: string, id: number): Promise<JobDetail> {
  const job = await db.selectFrom('jobs').selectAll().where('id', '=', id).where('mission', '=', mission).executeTakeFirst();
  if (!job) throw new SdcError('not-found', `no job ${id} in mission ${mission}`, { jobId: id });
  const ids = job.inputs.map((i) => i.fileId);
  const files = ids.length === 0 ? [] : await db.selectFrom('files').selectAll().where('id', 'in', ids).execute();
  const outputs = await db.selectFrom('files').selectAll().where('job_id', '=', id).orderBy('name').execute();
  return { job, inputs: job.inputs.map((i) => ({ ...i, file: files.find((f) => f.id === i.fileId) })), outputs };
}
