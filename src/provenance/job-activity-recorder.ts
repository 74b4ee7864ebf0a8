import type { Transaction } from 'kysely';
import type { CatalogSchema, FileRow, JobRow } from '../catalog/catalog-schema.js';
import type { ProcessingRuleConfig } from '../mission/mission-schema.js';
import type { Deployment } from '../processors/processor-registry.js';

/** What provenance keeps of one successful job, gathered by the job runner at commit. */
export interface JobActivity {
  job: JobRow;
  deployment: Deployment;
  /** The runtime that ran the processor (process, container, kubernetes). */
  runtime: string;
  /** The mission rule the job was planned from (absent if the mission no longer has it). */
  rule: ProcessingRuleConfig | undefined;
  outputs: readonly FileRow[];
  endedAt: Date;
}

/** Who a job ran for when no campaign asked for it: the arrival of its inputs. */
export const TRIGGERED_BY_ARRIVAL = 'trigger';

/**
 * Records a successful job's activity and the derivations of its outputs, inside the
 * transaction that commits the outputs (so provenance exists exactly when the outputs do).
 * Agents: the instrument team (the manifest's instrument), who deployed the processor version,
 * and who triggered the job (the campaign's creator, or the arrival trigger).
 */
export async function recordJobActivity(trx: Transaction<CatalogSchema>, activity: JobActivity): Promise<void> {
  const { job, deployment, outputs } = activity;
  const manifest = deployment.bundle.manifest;
  const campaign = job.campaign_id === null ? undefined : await trx.selectFrom('campaigns').select('created_by').where('id', '=', job.campaign_id).executeTakeFirst();
  const activityRow = trx
    .insertInto('provenance_activities')
    .values({
      job_id: job.id,
      mission: job.mission,
      processor: deployment.name,
      processor_version: deployment.version,
      bundle_sha256: deployment.bundleSha256,
      image: manifest.image ?? null,
      runtime: activity.runtime,
      configuration: JSON.stringify({ rule: activity.rule ?? { id: job.rule }, command: manifest.command, limits: manifest.limits }),
      parameters: JSON.stringify({ tier: job.tier, groupKey: job.group_key, windowStart: job.window_start.toISOString(), windowEnd: job.window_end.toISOString(), attempt: job.attempts }),
      host: job.host,
      started_at: job.started_at,
      ended_at: activity.endedAt,
      exit_code: 0,
      instrument: manifest.instrument,
      deployed_by: deployment.deployedBy,
      triggered_by: campaign?.created_by ?? TRIGGERED_BY_ARRIVAL,
    })
    .onConflict((oc) => oc.column('job_id').doNothing());
  const derivations = outputs.flatMap((output) => job.inputs.map((input) => ({ file_id: output.id, used_file_id: input.fileId, job_id: job.id })));
  if (derivations.length === 0) {
    await activityRow.execute();
    return;
  }
  // One statement for both: the activity as a data-modifying CTE, which runs though nothing reads it.
  await trx
    .with('activity', () => activityRow)
    .insertInto('provenance_derivations')
    .values(derivations)
    .onConflict((oc) => oc.columns(['file_id', 'used_file_id']).doNothing())
    .execute();
}
