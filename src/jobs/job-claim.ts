import os from 'node:os';
import { sql, type Kysely } from 'kysely';
import type { CatalogSchema, FileRow, JobRow } from '../catalog/catalog-schema.js';
import { overlapsFrom } from '../catalog/file-catalog.js';
import { deploymentFromJson, type Deployment } from '../processors/processor-registry.js';
import type { MatchableFile } from './field-match.js';

/** A deployment row as `to_jsonb` gives it. */
type DeploymentJson = Parameters<typeof deploymentFromJson>[0];

/** What staging needs of an input file. */
export type InputFile = Pick<FileRow, 'id' | 'name' | 'store_key' | 'product' | 'kind' | 'version_label' | 'sha256'>;

/** A file of the job's tier overlapping its window: what choosing an output's next version needs. */
export type WindowFile = MatchableFile & Pick<FileRow, 'name' | 'version_label'>;

/** A job a worker has taken, with everything its run reads from the catalog. */
export interface ClaimedJob {
  job: JobRow;
  deployment: Deployment | undefined;
  /** The job's inputs as catalogued now, by id: an input no longer catalogued is missing. */
  inputFiles: ReadonlyMap<number, InputFile>;
  /** The files of the job's mission and tier overlapping its window, by start time and name. */
  windowFiles: WindowFile[];
}

/** States a job can be taken from: a redelivery after a worker died finds it still running. */
const CLAIMABLE = ['queued', 'retrying', 'running', 'failed'] as const;

/**
 * Marks the job running (one more attempt, this host) and reads its deployment, its input files
 * and the files overlapping its window, in one statement committing on its own (the files as
 * JSON aggregates beside the job's row): one round trip and one parse of narrow results where
 * three queries returned whole rows. (In a transaction with the reads and without waiting for the
 * log flush the claim took longer: the flush costs less than two more round trips.) The inputs
 * are looked up by an array of ids (`= any`), which the planner answers from the primary key;
 * `in (select ...)` over the JSON made it hash-join a scan of every file. Undefined when the job
 * has succeeded, is dead, or does not exist.
 */
export async function claimJob(db: Kysely<CatalogSchema>, jobId: number): Promise<ClaimedJob | undefined> {
  const row = await db
    .with('claimed', (qc) => qc
      .updateTable('jobs')
      .set((eb) => ({ state: 'running', attempts: eb('attempts', '+', 1), started_at: new Date(), host: os.hostname() }))
      .where('id', '=', jobId)
      .where('state', 'in', CLAIMABLE)
      .returningAll())
    .selectFrom('claimed')
    .leftJoin('processor_deployments as d', 'd.id', 'claimed.deployment_id')
    .selectAll('claimed')
    .select(sql<DeploymentJson | null>`to_jsonb(d)`.as('deployment'))
    .select(sql<InputFile[]>`(
      select coalesce(jsonb_agg(jsonb_build_object('id', f.id, 'name', f.name, 'store_key', f.store_key, 'product', f.product, 'kind', f.kind, 'version_label', f.version_label, 'sha256', f.sha256)), '[]')
      from files f where f.id = any(array(select (i ->> 'fileId')::bigint from jsonb_array_elements(claimed.inputs) i)))`.as('input_files'))
    .select(sql<WindowFile[]>`(
      select coalesce(jsonb_agg(jsonb_build_object('name', w.name, 'version_label', w.version_label, 'kind', w.kind, 'product', w.product, 'spacecraft', w.spacecraft,
        'instrument', w.instrument, 'mode', w.mode, 'level', w.level, 'descriptor', w.descriptor, 'dataType', w.data_type) order by w.start_time, w.name), '[]')
      from files w
      where w.mission = claimed.mission and w.tier = claimed.tier and w.start_time < claimed.window_end
        and ${overlapsFrom(sql.ref('claimed.mission'), sql.ref('claimed.window_start'), 'w')})`.as('window_files'))
    .executeTakeFirst();
  if (!row) return undefined;
  const { deployment, input_files: inputFiles, window_files: windowFiles, ...job } = row;
  return {
    job: job as JobRow,
    deployment: deployment?.id == null ? undefined : deploymentFromJson(deployment),
    inputFiles: new Map(inputFiles.map((f) => [Number(f.id), f])),
    windowFiles,
  };
}
