import type { Kysely, Selectable, Transaction } from 'kysely';
import { sql } from 'kysely';
import type { CampaignsTable, CatalogSchema } from '../catalog/catalog-schema.js';
import { SdcError } from '../errors/sdc-error.js';
import type { Logger } from '../logging/logger.js';
import type { Mission } from '../mission/load-mission.js';
import type { Deployment, ProcessorRegistry, Tier } from '../processors/processor-registry.js';
import { pumpCampaign } from './campaign-pump.js';
import { resolvePin, rulesMaking, scopeKey, scopesInRange, parseProcessorRef, type CampaignScope } from './campaign-scopes.js';
import { previewRebuild, type RebuildPreview } from './rebuild-preview.js';

export type CampaignState = CampaignsTable['state'];

/** A campaign to create from explicit scopes (e.g. the descendants of a file). */
export interface NewCampaign {
  description: string;
  scopes: readonly CampaignScope[];
  /** Run this version (`name@version`) for the rules of its processor; otherwise each rule's production version. */
  processor?: string;
  /** With `processor`: the tier whose active version it is (default production when active there). */
  tier?: Tier;
  /** Jobs queued per minute at most. */
  ratePerMinute: number;
  createdBy: string;
  /** What was asked, kept for status displays (instrument, level, range, source file...). */
  selection?: Record<string, unknown>;
}

/** A date range of the rules that make a product (what `sdc reprocess --instrument --level` asks). */
export interface RangeSelection {
  instrument?: string;
  level?: string;
  from: Date;
  to: Date;
  processor?: string;
  tier?: Tier;
}

/** Where a campaign stands. `remaining` = pending + in flight; `etaSeconds` is null unless running. */
export interface CampaignProgress {
  id: number;
  description: string;
  state: CampaignState;
  processor: string | null;
  tier: Tier | null;
  ratePerMinute: number;
  selection: Record<string, unknown>;
  createdBy: string;
  createdAt: Date;
  finishedAt: Date | null;
  items: number;
  pending: number;
  inFlight: number;
  done: number;
  failed: number;
  skipped: number;
  cancelled: number;
  remaining: number;
  etaSeconds: number | null;
  /** Jobs of the next levels that outputs of the campaign's jobs triggered (they joined it). */
  downstream: { done: number; failed: number; inFlight: number };
}

export interface CampaignServiceDependencies {
  db: Kysely<CatalogSchema>;
  mission: Mission;
  processors: ProcessorRegistry;
  logger: Logger;
}

/** Highest rate a campaign may ask for: beyond it, a campaign would crowd the job queues. */
export const MAX_RATE_PER_MINUTE = 60_000;

/**
 * Reprocessing campaigns. A campaign is a list of job scopes (rule, group, day) stored in the
 * catalog; the pump (`pump`, run on a schedule by the processing process) queues their jobs at
 * the campaign's rate and below live priority, so live data always runs first, and a restart
 * resumes where it stopped. Campaigns are created from a date range (`planRange` + `create`) or
 * from any explicit list of scopes (`create`), previewed before anything is queued (`preview`),
 * and paused, resumed or cancelled.
 */
export class CampaignService {
  constructor(private readonly deps: CampaignServiceDependencies) {}

  /** The scopes and pinned version of a date-range request; fails when it selects nothing. */
  async planRange(selection: RangeSelection): Promise<{ scopes: CampaignScope[]; pin?: Deployment }> {
    if (Number.isNaN(selection.from.getTime()) || Number.isNaN(selection.to.getTime())) throw new SdcError('invalid-request', '--from and --to must be dates such as 2015-09-01');
    if (selection.from >= selection.to) throw new SdcError('invalid-request', `--from (${selection.from.toISOString()}) must be before --to (${selection.to.toISOString()})`);
    if (!selection.processor && !selection.instrument && !selection.level) throw new SdcError('invalid-request', 'say what to reprocess: --instrument and/or --level, or --processor NAME@VERSION');
    const pin = selection.processor ? await resolvePin(this.deps.processors, parseProcessorRef(selection.processor), selection.tier) : undefined;
    const wanted = Object.fromEntries(Object.entries({ instrument: selection.instrument, level: selection.level }).filter((e): e is [string, string] => e[1] !== undefined));
    const rules = await rulesMaking(this.deps.mission, this.deps.processors, wanted, pin);
    const scopes: CampaignScope[] = [];
    for (const rule of rules) scopes.push(...(await scopesInRange(this.deps.db, this.deps.mission.config.id, rule, selection)));
    return pin ? { scopes, pin } : { scopes };
  }

  /** What queuing these scopes would rebuild, downstream included; nothing is written. */
  async preview(scopes: readonly CampaignScope[], pin?: Deployment): Promise<RebuildPreview> {
    return previewRebuild(this.deps, scopes, pin ? { pin, checkReadiness: true } : { checkReadiness: true });
  }

  /**
   * Records a campaign and its scopes (state running: the pump starts queuing at its next tick).
   * `alongside` writes what belongs with the campaign (e.g. the marks on the files it is to
   * replace) in the same transaction: the campaign and that record exist together or not at all.
   */
  async create(request: NewCampaign, alongside?: (trx: Transaction<CatalogSchema>, campaignId: number) => Promise<void>): Promise<CampaignProgress> {
    if (!(request.ratePerMinute > 0) || request.ratePerMinute > MAX_RATE_PER_MINUTE) throw new SdcError('invalid-request', `the rate must be between 0 and ${MAX_RATE_PER_MINUTE} jobs per minute, got ${request.ratePerMinute}`);
    const scopes = [...new Map(request.scopes.map((s) => [scopeKey(s), s])).values()];
    if (scopes.length === 0) throw new SdcError('invalid-request', 'the campaign selects no job (no input files of the selected rules in that range)');
    const rules = new Map(this.deps.mission.config.processing.rules.map((r) => [r.id, r]));
    const unknown = [...new Set(scopes.map((s) => s.rule).filter((id) => !rules.has(id)))];
    if (unknown.length > 0) throw new SdcError('invalid-request', `unknown processing rule(s): ${unknown.join(', ')}`);
    const pin = request.processor ? await resolvePin(this.deps.processors, parseProcessorRef(request.processor), request.tier) : undefined;
    const ruleIds = [...new Set(scopes.map((s) => s.rule))];
    if (pin) {
      const others = ruleIds.filter((id) => rules.get(id)!.processor !== pin.name);
      if (others.length > 0) throw new SdcError('invalid-request', `rule(s) ${others.join(', ')} do not run ${pin.name}; a pinned campaign holds only scopes of its processor's rules`);
    }
    const id = await this.deps.db.transaction().execute(async (trx) => {
      const campaign = await trx
        .insertInto('campaigns')
        .values({
          mission: this.deps.mission.config.id,
          description: request.description,
          rule: ruleIds.length === 1 ? ruleIds[0]! : null,
          processor: pin?.name ?? null,
          processor_version: pin?.version ?? null,
          tier: pin?.tier ?? null,
          deployment_id: pin?.id ?? null,
          rate: request.ratePerMinute / 60,
          state: 'running',
          selection: JSON.stringify(request.selection ?? {}),
          allowance: 1,
          pumped_at: new Date(),
          created_by: request.createdBy,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      for (let i = 0; i < scopes.length; i += 1000) {
        await trx.insertInto('campaign_items')
          .values(scopes.slice(i, i + 1000).map((s) => ({ campaign_id: campaign.id, rule: s.rule, group_key: s.groupKey, group_values: JSON.stringify(s.groupValues), window_start: s.windowStart, state: 'pending' as const })))
          .execute();
      }
      await alongside?.(trx, campaign.id);
      return campaign.id;
    });
    this.deps.logger.info('campaign created', { campaignId: id, scopes: scopes.length, processor: pin ? `${pin.name}@${pin.version}` : 'production versions', ratePerMinute: request.ratePerMinute });
    return this.status(id);
  }

  async pause(id: number): Promise<CampaignProgress> {
    await this.transition(id, ['running'], 'paused');
    return this.status(id);
  }

  async resume(id: number): Promise<CampaignProgress> {
    // Refilled from now: a paused campaign does not save up a burst of jobs.
    await this.transition(id, ['paused'], 'running', { pumped_at: new Date() });
    return this.status(id);
  }

  /** Stops queuing: pending scopes are cancelled; jobs already queued still run. */
  async cancel(id: number): Promise<CampaignProgress> {
    await this.deps.db.transaction().execute(async (trx) => {
      await this.transition(id, ['running', 'paused'], 'cancelled', { finished_at: new Date() }, trx);
      await trx.updateTable('campaign_items').set({ state: 'cancelled', note: 'campaign cancelled' }).where('campaign_id', '=', id).where('state', '=', 'pending').execute();
    });
    return this.status(id);
  }

  /** Queues the jobs every running campaign may queue now; returns the ids of the jobs queued. */
  async pump(now = new Date()): Promise<number[]> {
    const running = await this.deps.db.selectFrom('campaigns').selectAll().where('mission', '=', this.deps.mission.config.id).where('state', '=', 'running').orderBy('id').execute();
    const queued: number[] = [];
    for (const campaign of running) {
      const pin = campaign.deployment_id === null ? undefined : await this.deps.processors.byId(campaign.deployment_id);
      queued.push(...(await pumpCampaign(this.deps, campaign.id, pin, now)));
    }
    return queued;
  }

  async status(id: number): Promise<CampaignProgress> {
    const campaign = await this.find(id);
    return (await this.progress([campaign]))[0]!;
  }

  /** Campaigns of the mission, newest first (running and paused ones only unless `all`). */
  async list(options: { all?: boolean } = {}): Promise<CampaignProgress[]> {
    let query = this.deps.db.selectFrom('campaigns').selectAll().where('mission', '=', this.deps.mission.config.id);
    if (!options.all) query = query.where('state', 'in', ['running', 'paused']);
    return this.progress(await query.orderBy('id', 'desc').execute());
  }

  private async find(id: number): Promise<Selectable<CampaignsTable>> {
    const campaign = await this.deps.db.selectFrom('campaigns').selectAll().where('id', '=', id).where('mission', '=', this.deps.mission.config.id).executeTakeFirst();
    if (!campaign) throw new SdcError('not-found', `no campaign ${id} in mission ${this.deps.mission.config.id}`, { campaignId: id });
    return campaign;
  }

  private async transition(id: number, from: CampaignState[], to: CampaignState, extra: Partial<{ pumped_at: Date; finished_at: Date }> = {}, db: Kysely<CatalogSchema> = this.deps.db): Promise<void> {
    const updated = await db.updateTable('campaigns').set({ state: to, ...extra }).where('id', '=', id).where('mission', '=', this.deps.mission.config.id).where('state', 'in', from).executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 1) return;
    const current = await db.selectFrom('campaigns').select('state').where('id', '=', id).where('mission', '=', this.deps.mission.config.id).executeTakeFirst();
    if (!current) throw new SdcError('not-found', `no campaign ${id} in mission ${this.deps.mission.config.id}`, { campaignId: id });
    throw new SdcError('invalid-request', `campaign ${id} is ${current.state}; only a ${from.join(' or ')} campaign can become ${to}`, { campaignId: id, state: current.state });
  }

  private async progress(campaigns: Selectable<CampaignsTable>[]): Promise<CampaignProgress[]> {
    if (campaigns.length === 0) return [];
    const counts = await this.deps.db
      .selectFrom('campaign_items as i')
      .leftJoin('jobs as j', 'j.id', 'i.job_id')
      .select(['i.campaign_id', 'i.state as item', 'j.state as job', sql<number>`count(*)::int`.as('n'), sql<Date | null>`min(i.queued_at)`.as('first_queued')])
      .where('i.campaign_id', 'in', campaigns.map((c) => c.id))
      .groupBy(['i.campaign_id', 'i.state', 'j.state'])
      .execute();
    const downstream = await this.deps.db
      .selectFrom('jobs as j')
      .select(['j.campaign_id', 'j.state', sql<number>`count(*)::int`.as('n')])
      .where('j.campaign_id', 'in', campaigns.map((c) => c.id))
      .where(({ not, exists, selectFrom }) => not(exists(selectFrom('campaign_items as i').select('i.job_id').whereRef('i.job_id', '=', 'j.id'))))
      .groupBy(['j.campaign_id', 'j.state'])
      .execute();
    const now = Date.now();
    return campaigns.map((c) => {
      const next = downstream.filter((r) => r.campaign_id === c.id);
      const nextCount = (states: string[]) => next.filter((r) => states.includes(r.state)).reduce((n, r) => n + Number(r.n), 0);
      const mine = counts.filter((r) => r.campaign_id === c.id);
      const count = (test: (r: (typeof mine)[number]) => boolean) => mine.filter(test).reduce((n, r) => n + Number(r.n), 0);
      const pending = count((r) => r.item === 'pending');
      const inFlight = count((r) => r.item === 'queued' && (r.job === 'queued' || r.job === 'running' || r.job === 'retrying'));
      const done = count((r) => r.item === 'queued' && r.job === 'succeeded');
      const failed = count((r) => r.item === 'queued' && (r.job === 'failed' || r.job === 'dead'));
      const firstQueued = mine.map((r) => r.first_queued).filter((d): d is Date => d !== null).map((d) => new Date(d).getTime()).sort((a, b) => a - b)[0];
      const remaining = pending + inFlight;
      return {
        id: c.id,
        description: c.description,
        state: c.state,
        processor: c.processor && c.processor_version ? `${c.processor}@${c.processor_version}` : null,
        tier: c.tier,
        ratePerMinute: Math.round(c.rate * 60 * 1000) / 1000,
        selection: c.selection,
        createdBy: c.created_by,
        createdAt: new Date(c.created_at),
        finishedAt: c.finished_at,
        items: count(() => true),
        pending,
        inFlight,
        done,
        failed,
        skipped: count((r) => r.item === 'skipped'),
        cancelled: count((r) => r.item === 'cancelled'),
        remaining,
        downstream: { done: nextCount(['succeeded']), failed: nextCount(['failed', 'dead']), inFlight: nextCount(['queued', 'running', 'retrying']) },
        etaSeconds: c.state === 'running' ? eta(remaining, c.rate, done + failed, firstQueued === undefined ? 0 : (now - firstQueued) / 1000) : null,
      };
    });
  }
}

/**
 * Seconds until the remaining jobs are done: at the campaign's rate, or at the rate jobs have
 * actually finished so far when that is slower (the workers, not the pump, are the bound).
 */
export function eta(remaining: number, ratePerSecond: number, finished: number, elapsedSeconds: number): number {
  if (remaining === 0) return 0;
  const observed = finished > 0 && elapsedSeconds > 0 ? finished / elapsedSeconds : Infinity;
  return Math.ceil(remaining / Math.min(ratePerSecond, observed));
}
