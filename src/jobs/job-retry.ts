import type { Kysely, Transaction } from 'kysely';
import type { CatalogSchema, JobRow } from '../catalog/catalog-schema.js';
import { addToOutbox } from '../catalog/outbox.js';
import { SdcError } from '../errors/sdc-error.js';
import type { ProcessorManifest } from '../processors/processor-manifest.js';
import { JOB_REQUESTED, jobRequestedRoutingKey, type JobRequestedEvent } from '../events/event-types.js';

/**
 * Queues a failed or dead job again, by hand (`sdc jobs retry`): the job becomes `queued` and its
 * `job.requested` message is written to the outbox in the same transaction, so whichever process
 * runs the relay publishes it (a dead job's old message stays in the dead-letter queue). Refused
 * when another job with the same identity (processor version, tier, inputs) is queued, running
 * or succeeded: that work is already done or under way.
 */
export async function retryJob(db: Kysely<CatalogSchema>, mission: string, jobId: number): Promise<JobRow> {
  return db.transaction().execute(async (trx) => {
    const job = await trx.selectFrom('jobs').selectAll().where('id', '=', jobId).where('mission', '=', mission).forUpdate().executeTakeFirst();
    if (!job) throw new SdcError('not-found', `no job ${jobId} in mission ${mission}`, { jobId });
    if (job.state !== 'failed' && job.state !== 'dead') throw new SdcError('invalid-request', `job ${jobId} is ${job.state}; only failed or dead jobs can be retried`, { jobId, state: job.state });
    const twin = await trx.selectFrom('jobs').select(['id', 'state'])
      .where('processor', '=', job.processor).where('processor_version', '=', job.processor_version).where('tier', '=', job.tier)
      .where('inputs_hash', '=', job.inputs_hash).where('state', 'in', ['queued', 'running', 'retrying', 'succeeded']).where('id', '!=', job.id)
      .executeTakeFirst();
    if (twin) throw new SdcError('invalid-request', `job ${jobId} is not retried: job ${twin.id} with the same processor version, tier and inputs is ${twin.state}`, { jobId, twin: twin.id });
    const queued = await trx.updateTable('jobs').set({ state: 'queued', error: null, finished_at: null }).where('id', '=', jobId).returningAll().executeTakeFirstOrThrow();
    const instrument = await processorInstrument(trx, mission, job);
    const request: JobRequestedEvent = { jobId, mission, instrument, processor: job.processor, processorVersion: job.processor_version, tier: job.tier };
    await addToOutbox(trx, [{ type: JOB_REQUESTED, routingKey: jobRequestedRoutingKey(request), body: request, priority: job.priority }]);
    return queued;
  });
}

/** The instrument of the job's processor version, from its deployment's manifest (it picks the queue). */
async function processorInstrument(trx: Transaction<CatalogSchema>, mission: string, job: JobRow): Promise<string> {
  const deployment = await trx.selectFrom('processor_deployments').select('manifest')
    .where('mission', '=', mission).where('name', '=', job.processor).where('version', '=', job.processor_version)
    .orderBy('id', 'desc').executeTakeFirst();
  if (!deployment) throw new SdcError('not-found', `job ${job.id} is not retried: processor ${job.processor}@${job.processor_version} is not deployed`, { jobId: job.id });
  return (deployment.manifest as ProcessorManifest).instrument;
}
