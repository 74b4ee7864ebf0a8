import type { Transaction } from 'kysely';
import { sql } from 'kysely';
import type { CatalogSchema, JobInput, JobRow } from '../catalog/catalog-schema.js';
import type { FileSummary } from '../catalog/file-catalog.js';
import { handOver, outboxRow, relayAfter, type OutboxRow } from '../catalog/outbox.js';
import { JOB_REQUESTED, jobRequestedRoutingKey, type JobRequestedEvent } from '../events/event-types.js';
import type { ProcessingRuleConfig, RuleInputConfig } from '../mission/mission-schema.js';
import type { Deployment } from '../processors/processor-registry.js';
import { inputsHash } from './job-identity.js';
import { DAY_MS, findMatchingFiles } from './input-query.js';
import type { JobScope } from './job-scope.js';

/** Priorities of job messages: live data always before campaign work. */
export const LIVE_PRIORITY = 5;
export const CAMPAIGN_PRIORITY = 1;

/** What planning one scope gave: the inputs, or what is still missing. */
export type InputSet = { complete: true; files: FileSummary[] } | { complete: false; missing: string };

/**
 * Gathers a rule's inputs for one scope: for each input, the newest version of the matching
 * files of the day (or the one in force, for `latest-before`), sharing the scope's group.
 */
export async function gatherInputs(trx: Transaction<CatalogSchema>, mission: string, rule: ProcessingRuleConfig, scope: JobScope): Promise<InputSet> {
  const files: FileSummary[] = [];
  const windowEnd = new Date(scope.windowStart.getTime() + DAY_MS);
  for (const input of rule.inputs) {
    const found = await inputFiles(trx, mission, rule, input, scope, windowEnd);
    if (found.length === 0 && input.required) return { complete: false, missing: describe(input) };
    files.push(...found);
  }
  return { complete: true, files };
}

/**
 * Queues the job of one scope for one deployment unless the same job (processor version, tier,
 * exact inputs) is already queued, running or done: the catalog's unique index decides. The job
 * and its `job.requested` message commit together (the message goes to the transaction's
 * owner, which publishes it after the commit). A job given no campaign whose inputs include
 * outputs of a running or paused campaign's jobs is that campaign's downstream work: it joins
 * the campaign at campaign priority, so a rebuild's next levels also yield to live data.
 */
export async function queueJob(
  trx: Transaction<CatalogSchema>,
  args: { mission: string; rule: ProcessingRuleConfig; scope: JobScope; inputs: FileSummary[]; deployment: Deployment; priority: number; campaignId?: number },
): Promise<JobRow | undefined> {
  const jobInputs: JobInput[] = args.inputs.map((f) => ({ fileId: f.id, name: f.name, sha256: f.sha256 }));
  const { deployment } = args;
  const campaignId = args.campaignId ?? (await campaignOfInputs(trx, args.inputs));
  const priority = campaignId === undefined ? args.priority : Math.min(args.priority, CAMPAIGN_PRIORITY);
  const request: Omit<JobRequestedEvent, 'jobId'> = { mission: args.mission, instrument: deployment.bundle.manifest.instrument, processor: deployment.name, processorVersion: deployment.version, tier: deployment.tier };
  const message = outboxRow({ type: JOB_REQUESTED, routingKey: jobRequestedRoutingKey(request), body: request, priority });
  // The job, its inputs and its message in one statement: the last two are data-modifying CTEs
  // that insert one row per job row the first returns, so none when the job already exists.
  const job = await trx
    .with('job', (db) => db
      .insertInto('jobs')
      .values({
        mission: args.mission,
        rule: args.rule.id,
        processor: deployment.name,
        processor_version: deployment.version,
        tier: deployment.tier,
        group_key: args.scope.groupKey,
        window_start: args.scope.windowStart,
        window_end: new Date(args.scope.windowStart.getTime() + DAY_MS),
        inputs_hash: inputsHash(jobInputs),
        inputs: JSON.stringify(jobInputs),
        state: 'queued',
        priority,
        campaign_id: campaignId ?? null,
        deployment_id: deployment.id,
      })
      .onConflict((oc) => oc.columns(['processor', 'processor_version', 'tier', 'inputs_hash']).where(sql.ref('state'), 'in', ['queued', 'running', 'retrying', 'succeeded']).doNothing())
      .returningAll())
    .with('job_input', (db) => db
      .insertInto('job_inputs')
      .columns(['job_id', 'file_id'])
      .expression((eb) => eb.selectFrom('job').select(['job.id', sql<number>`unnest(${args.inputs.map((f) => f.id)}::bigint[])`.as('file_id')])))
    .with('request', (db) => db
      .insertInto('outbox')
      .columns(['message_id', 'type', 'routing_key', 'body', 'priority', 'relay_after'])
      .expression((eb) => eb.selectFrom('job').select([
        sql<string>`${message.message_id}::uuid`.as('message_id'),
        sql<string>`${message.type}`.as('type'),
        sql<string>`${message.routing_key}`.as('routing_key'),
        sql<string>`${message.body}::jsonb || jsonb_build_object('jobId', job.id)`.as('body'),
        sql<number>`${message.priority}::int`.as('priority'),
        relayAfter(trx).as('relay_after'),
      ]))
      .returningAll())
    .selectFrom('job')
    .selectAll()
    .select(sql<OutboxRow>`(select to_jsonb(request) from request)`.as('request'))
    .executeTakeFirst();
  if (!job) return undefined;
  const { request: event, ...queued } = job;
  handOver(trx, [event]);
  return queued;
}

/** The running or paused campaign whose jobs wrote any of these files, if any. */
async function campaignOfInputs(trx: Transaction<CatalogSchema>, inputs: readonly FileSummary[]): Promise<number | undefined> {
  const producers = inputs.flatMap((f) => (f.job_id === null ? [] : [f.job_id]));
  if (producers.length === 0) return undefined;
  const row = await trx.selectFrom('jobs as j').innerJoin('campaigns as c', 'c.id', 'j.campaign_id').select('c.id')
    .where('j.id', 'in', producers).where('c.state', 'in', ['running', 'paused']).orderBy('c.id', 'desc').limit(1).executeTakeFirst();
  return row?.id;
}

async function inputFiles(trx: Transaction<CatalogSchema>, mission: string, rule: ProcessingRuleConfig, input: RuleInputConfig, scope: JobScope, windowEnd: Date): Promise<FileSummary[]> {
  const group = Object.fromEntries(Object.entries(scope.groupValues).filter(([field, value]) => (input.sameAs ?? rule.groupBy).includes(field as never) && value !== ''));
  const match = { ...input.match, ...group };
  if (input.window === 'day') return findMatchingFiles(trx, mission, match, { from: scope.windowStart, to: windowEnd });
  const candidates = (await findMatchingFiles(trx, mission, match, { to: windowEnd })).filter((f) => f.start_time < windowEnd);
  const inForce = candidates.reduce<FileSummary | undefined>((best, f) => (!best || f.start_time > best.start_time ? f : best), undefined);
  return inForce ? [inForce] : [];
}

function describe(input: RuleInputConfig): string {
  return Object.entries(input.match).map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('|') : v}`).join(', ');
}
