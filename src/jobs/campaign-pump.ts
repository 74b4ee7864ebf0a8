import type { Kysely, Transaction } from 'kysely';
import type { CatalogSchema } from '../catalog/catalog-schema.js';
import type { Logger } from '../logging/logger.js';
import type { Mission } from '../mission/load-mission.js';
import type { Deployment, ProcessorRegistry } from '../processors/processor-registry.js';
import { CAMPAIGN_PRIORITY, gatherInputs, queueJob } from './job-planner.js';

/** A campaign saves up at most this many seconds of its rate (after a stop, a pause or a slow tick). */
export const BURST_SECONDS = 60;

/**
 * A campaign is done this long after its last job finished, not at once: outputs of its last
 * jobs may still trigger downstream jobs (after the rules' debounce), which join it.
 */
export const CAMPAIGN_SETTLE_MS = 60_000;

/** Most scopes one tick examines per campaign (skipped ones do not use the rate). */
const MAX_EXAMINED = 500;

export interface CampaignPumpDependencies {
  db: Kysely<CatalogSchema>;
  mission: Mission;
  processors: ProcessorRegistry;
  logger: Logger;
}

/** The jobs a token bucket allows after `elapsedSeconds` at `rate` jobs/s, capped at BURST_SECONDS' worth. */
export function refill(allowance: number, ratePerSecond: number, elapsedSeconds: number): number {
  return Math.min(Math.max(1, ratePerSecond * BURST_SECONDS), allowance + ratePerSecond * Math.max(0, elapsedSeconds));
}

/**
 * One tick of one running campaign, in one transaction: refills its token bucket (kept in the
 * catalog, so a restart neither loses nor bursts it), queues the jobs of as many pending scopes
 * as it allows at campaign priority, records the others as skipped with the reason (inputs
 * missing, the same job already done), and marks the campaign done once nothing is pending or
 * in flight. The campaign row is locked (SKIP LOCKED), so several pumps never share a tick.
 * `pin` is the campaign's pinned deployment, resolved by the caller (PGlite has one connection).
 */
export async function pumpCampaign(deps: CampaignPumpDependencies, campaignId: number, pin: Deployment | undefined, now: Date): Promise<number[]> {
  const rules = new Map(deps.mission.config.processing.rules.map((r) => [r.id, r]));
  const log = deps.logger.child({ campaignId });
  return deps.db.transaction().execute(async (trx) => {
    const campaign = await trx.selectFrom('campaigns').selectAll().where('id', '=', campaignId).where('state', '=', 'running').forUpdate().skipLocked().executeTakeFirst();
    if (!campaign) return [];
    const since = campaign.pumped_at ?? new Date(campaign.created_at);
    let allowance = refill(campaign.allowance, campaign.rate, (now.getTime() - since.getTime()) / 1000);
    const queued: number[] = [];
    if (allowance >= 1) {
      const items = await trx.selectFrom('campaign_items').selectAll().where('campaign_id', '=', campaignId).where('state', '=', 'pending')
        .orderBy('window_start').orderBy('rule').orderBy('group_key').limit(Math.max(Math.floor(allowance), MAX_EXAMINED)).execute();
      for (const item of items) {
        if (allowance < 1) break;
        const rule = rules.get(item.rule);
        const scope = { groupKey: item.group_key, groupValues: item.group_values as Record<string, string>, windowStart: item.window_start };
        const skip = (note: string) => markItem(trx, campaignId, item, { state: 'skipped', note });
        if (!rule) {
          await skip(`rule ${item.rule} is no longer in the mission configuration`);
          continue;
        }
        const deployment = pin ?? (await deps.processors.active(rule.processor, 'production', trx));
        if (!deployment) {
          await skip(`no production version of ${rule.processor}`);
          continue;
        }
        const inputs = await gatherInputs(trx, deps.mission.config.id, rule, scope);
        if (!inputs.complete) {
          await skip(`waiting for ${inputs.missing}`);
          continue;
        }
        const job = await queueJob(trx, { mission: deps.mission.config.id, rule, scope, inputs: inputs.files, deployment, priority: CAMPAIGN_PRIORITY, campaignId });
        if (!job) {
          await skip(`the same job (${deployment.name}@${deployment.version}, ${deployment.tier}, same inputs) is already queued, running or done`);
          continue;
        }
        await markItem(trx, campaignId, item, { state: 'queued', job_id: job.id, queued_at: now });
        queued.push(job.id);
        allowance -= 1;
      }
    }
    const finished = await isFinished(trx, campaignId, now);
    await trx.updateTable('campaigns').set({ allowance, pumped_at: now, ...(finished ? { state: 'done' as const, finished_at: now } : {}) }).where('id', '=', campaignId).execute();
    if (queued.length > 0) log.info('campaign jobs queued', { jobs: queued.length });
    if (finished) log.info('campaign done');
    return queued;
  });
}

async function markItem(
  trx: Transaction<CatalogSchema>,
  campaignId: number,
  item: { rule: string; group_key: string; window_start: Date },
  values: { state: 'queued' | 'skipped'; note?: string; job_id?: number; queued_at?: Date },
): Promise<void> {
  await trx.updateTable('campaign_items').set(values).where('campaign_id', '=', campaignId).where('rule', '=', item.rule).where('group_key', '=', item.group_key).where('window_start', '=', item.window_start).execute();
}

/** Nothing pending, none of the campaign's jobs (downstream ones too) in flight, and none finished within CAMPAIGN_SETTLE_MS. */
async function isFinished(trx: Transaction<CatalogSchema>, campaignId: number, now: Date): Promise<boolean> {
  const pending = await trx.selectFrom('campaign_items').select('campaign_id').where('campaign_id', '=', campaignId).where('state', '=', 'pending').limit(1).executeTakeFirst();
  if (pending) return false;
  const recent = await trx.selectFrom('jobs').select('id').where('campaign_id', '=', campaignId)
    .where((eb) => eb.or([eb('state', 'in', ['queued', 'running', 'retrying']), eb('finished_at', '>', new Date(now.getTime() - CAMPAIGN_SETTLE_MS))]))
    .limit(1).executeTakeFirst();
  return !recent;
}
