import type { Kysely, Transaction } from 'kysely';
import { sql } from 'kysely';
import type { CatalogSchema } from '../catalog/catalog-schema.js';
import type { FileIngestedEvent } from '../events/event-types.js';
import type { Logger } from '../logging/logger.js';
import type { Mission } from '../mission/load-mission.js';
import type { ProcessingRuleConfig } from '../mission/mission-schema.js';
import type { Deployment, ProcessorRegistry, Tier } from '../processors/processor-registry.js';
import { lockNames } from '../catalog/advisory-lock.js';
import { transactionPublishingEvents, type CommittedEventPublisher } from '../catalog/outbox.js';
import { matchesFields, type MatchableFile } from './field-match.js';
import { gatherInputs, LIVE_PRIORITY, queueJob } from './job-planner.js';
import { MAX_SCOPES, scopesTouchedBy, type JobScope } from './job-scope.js';

export interface TriggerDependencies {
  db: Kysely<CatalogSchema>;
  mission: Mission;
  processors: ProcessorRegistry;
  logger: Logger;
  /** Default debounce of the rules that set none. */
  debounceMs: number;
  /** Publishes the `job.requested` events of due scopes' jobs right after their commit (the outbox relay). */
  events?: CommittedEventPublisher;
}

const TIERS: readonly Tier[] = ['production', 'staging'];

/** Due scopes evaluated per transaction, and the most an arrival evaluates in its own. */
export const EVALUATION_BATCH = 20;

/**
 * Turns arrivals into jobs in two steps. An arrival marks the (rule, group, day) scopes it
 * touches as due after the rule's debounce, in the transaction that handles its event; when a
 * scope falls due, its inputs are gathered and, if every required one is present, a job is
 * queued for each tier that has an active version of the processor. A burst of arrivals for one
 * day thus yields one job, a new version of any input yields a new job (new inputs, new
 * identity), and a scope still missing inputs waits, recorded with what it misses. A rule
 * without debounce skips the first step for an arrival touching few scopes: they are evaluated
 * in the transaction that handles its event.
 */
export class TriggerService {
  private readonly rules: ReadonlyMap<string, ProcessingRuleConfig>;
  /** The shortest debounce of any rule: the soonest a marked scope can fall due. */
  readonly shortestDebounceMs: number;

  constructor(private readonly deps: TriggerDependencies) {
    this.rules = new Map(deps.mission.config.processing.rules.map((r) => [r.id, r]));
    this.shortestDebounceMs = Math.min(deps.debounceMs, ...[...this.rules.values()].map((r) => r.debounceMs ?? deps.debounceMs));
  }

  /**
   * Handles ingested production files in the transaction that records their events as handled.
   * The scopes an arrival touches under a rule without debounce are evaluated in that
   * transaction when they are few (at most one evaluation batch per arrival); otherwise they are
   * marked due after the rule's debounce. A scope several arrivals of the batch touch is
   * evaluated once, and every scope to evaluate is locked up front, in one statement and in
   * sorted order, so batches of two consumers cannot deadlock. Returns how many scopes were
   * marked and the ids of the jobs queued.
   */
  async onFilesIngested(trx: Transaction<CatalogSchema>, events: readonly FileIngestedEvent[]): Promise<{ marked: number; queued: number[] }> {
    const outcome = { marked: 0, queued: [] as number[] };
    const mission = this.deps.mission.config.id;
    const now = new Map<string, { rule: ProcessingRuleConfig; scope: JobScope }>();
    for (const event of events.filter((e) => this.triggers(e))) {
      const file = { ...(event as MatchableFile), start: new Date(event.start), end: new Date(event.end) };
      for (const rule of this.rules.values()) {
        if (!rule.trigger.some((match) => matchesFields(file, match))) continue;
        const scopes = await scopesTouchedBy(trx, event.mission, rule, file);
        if (scopes.length > MAX_SCOPES) this.deps.logger.warn('an arrival touches too many jobs; the rest needs a campaign', { rule: rule.id, fileName: event.name, scopes: scopes.length });
        const kept = scopes.slice(0, MAX_SCOPES);
        if ((rule.debounceMs ?? this.deps.debounceMs) === 0 && kept.length <= EVALUATION_BATCH) {
          for (const scope of kept) now.set(scopeLockName(mission, rule, scope), { rule, scope });
          continue;
        }
        await this.markDue(trx, rule, kept);
        outcome.marked += kept.length;
      }
    }
    if (now.size === 0) return outcome;
    await lockNames(trx, [...now.keys()]);
    await this.clearRecords(trx, [...now.values()]);
    const active = activeDeployments(this.deps.processors, trx);
    for (const { rule, scope } of now.values()) outcome.queued.push(...(await this.evaluateLocked(trx, rule, scope, active)));
    return outcome;
  }

  /** Whether an ingested file can trigger anything: a production file of this mission that a rule triggers on. */
  triggers(event: FileIngestedEvent): boolean {
    if (event.tier !== 'production' || event.mission !== this.deps.mission.config.id) return false;
    return [...this.rules.values()].some((rule) => rule.trigger.some((match) => matchesFields(event as MatchableFile, match)));
  }

  /** Evaluates up to `limit` due scopes; returns how many, and the ids of the jobs queued. */
  async evaluateDue(limit: number): Promise<{ evaluated: number; queued: number[] }> {
    return transactionPublishingEvents(this.deps.db, this.deps.events, async (trx) => {
      const due = await trx.selectFrom('job_triggers').selectAll().where('mission', '=', this.deps.mission.config.id).where('due_at', '<=', new Date()).orderBy('due_at').limit(limit).forUpdate().skipLocked().execute();
      const queued: number[] = [];
      const active = activeDeployments(this.deps.processors, trx);
      for (const row of due) {
        const rule = this.rules.get(row.rule);
        const scope: JobScope = { groupKey: row.group_key, groupValues: row.group_values as Record<string, string>, windowStart: row.window_start };
        const result = rule ? await this.evaluate(trx, rule, scope, active) : { queued: [], missing: `rule ${row.rule} is no longer in the mission configuration` };
        queued.push(...result.queued);
        if (result.missing) {
          await trx.updateTable('job_triggers').set({ due_at: null, missing: result.missing, updated_at: new Date() })
            .where('mission', '=', row.mission).where('rule', '=', row.rule).where('group_key', '=', row.group_key).where('window_start', '=', row.window_start).execute();
        } else {
          await trx.deleteFrom('job_triggers')
            .where('mission', '=', row.mission).where('rule', '=', row.rule).where('group_key', '=', row.group_key).where('window_start', '=', row.window_start).execute();
        }
      }
      return { evaluated: due.length, queued };
    });
  }

  /** Makes every scope still waiting for inputs due now (a scheduled re-check). */
  async recheckWaiting(): Promise<number> {
    const result = await this.deps.db.updateTable('job_triggers').set({ due_at: new Date() }).where('mission', '=', this.deps.mission.config.id).where('due_at', 'is', null).executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  /**
   * Evaluates one scope without marking it first, under the scope's lock and with its record
   * cleared (both by the caller). The lock serialises this with any other evaluation of the
   * scope, so the one that runs last sees every input committed before it and leaves the scope's
   * record (waiting, or none) true.
   */
  private async evaluateLocked(trx: Transaction<CatalogSchema>, rule: ProcessingRuleConfig, scope: JobScope, active: ActiveDeployments): Promise<number[]> {
    const mission = this.deps.mission.config.id;
    const result = await this.evaluate(trx, rule, scope, active);
    if (!result.missing) return result.queued;
    await trx
      .insertInto('job_triggers')
      .values({ mission, rule: rule.id, group_key: scope.groupKey, window_start: scope.windowStart, group_values: JSON.stringify(scope.groupValues), due_at: null, missing: result.missing })
      .onConflict((oc) => oc.columns(['mission', 'rule', 'group_key', 'window_start']).doUpdateSet({ due_at: null, missing: result.missing, updated_at: sql`now()` }))
      .execute();
    return [];
  }

  private async evaluate(trx: Transaction<CatalogSchema>, rule: ProcessingRuleConfig, scope: JobScope, active: ActiveDeployments): Promise<{ queued: number[]; missing?: string }> {
    const inputs = await gatherInputs(trx, this.deps.mission.config.id, rule, scope);
    const log = this.deps.logger.child({ rule: rule.id, group: scope.groupKey, day: scope.windowStart.toISOString().slice(0, 10) });
    if (!inputs.complete) {
      log.info('job waits for a required input', { missing: inputs.missing });
      return { queued: [], missing: `waiting for ${inputs.missing}` };
    }
    const queued: number[] = [];
    for (const tier of TIERS) {
      const deployment = await active(rule.processor, tier);
      if (!deployment) continue;
      const job = await queueJob(trx, { mission: this.deps.mission.config.id, rule, scope, inputs: inputs.files, deployment, priority: LIVE_PRIORITY });
      if (job) {
        log.info('job queued', { jobId: job.id, processor: `${deployment.name}@${deployment.version}`, tier, inputs: inputs.files.length });
        queued.push(job.id);
      }
    }
    if (queued.length === 0 && !(await active(rule.processor, 'production'))) log.warn('no active version of the processor', { processor: rule.processor });
    return { queued };
  }

  /** Deletes the records (waiting or due) of scopes about to be evaluated, in one statement; an evaluation still missing an input writes its own again. */
  private async clearRecords(trx: Transaction<CatalogSchema>, scopes: readonly { rule: ProcessingRuleConfig; scope: JobScope }[]): Promise<void> {
    await trx
      .deleteFrom('job_triggers')
      .where('mission', '=', this.deps.mission.config.id)
      .where((eb) => eb(eb.refTuple('rule', 'group_key', 'window_start'), 'in', scopes.map(({ rule, scope }) => eb.tuple(rule.id, scope.groupKey, scope.windowStart))))
      .execute();
  }

  private async markDue(trx: Transaction<CatalogSchema>, rule: ProcessingRuleConfig, scopes: JobScope[]): Promise<void> {
    if (scopes.length === 0) return;
    const dueAt = new Date(Date.now() + (rule.debounceMs ?? this.deps.debounceMs));
    await trx
      .insertInto('job_triggers')
      .values(scopes.map((s) => ({ mission: this.deps.mission.config.id, rule: rule.id, group_key: s.groupKey, group_values: JSON.stringify(s.groupValues), window_start: s.windowStart, due_at: dueAt })))
      .onConflict((oc) => oc.columns(['mission', 'rule', 'group_key', 'window_start']).doUpdateSet({ due_at: dueAt, missing: null, updated_at: sql`now()` }))
      .execute();
  }
}

/** The lock serialising the evaluations of one scope of a rule. */
function scopeLockName(mission: string, rule: ProcessingRuleConfig, scope: JobScope): string {
  return `trigger/${mission}/${rule.id}/${scope.groupKey}/${scope.windowStart.toISOString()}`;
}

/** The active deployment of a processor in a tier; each processor's tiers looked up once per evaluation pass, in one query. */
type ActiveDeployments = (processor: string, tier: Tier) => Promise<Deployment | undefined>;

function activeDeployments(processors: ProcessorRegistry, trx: Transaction<CatalogSchema>): ActiveDeployments {
  const known = new Map<string, Map<Tier, Deployment>>();
  return async (processor, tier) => {
    if (!known.has(processor)) known.set(processor, await processors.activeByTier(processor, trx));
    return known.get(processor)!.get(tier);
  };
}
