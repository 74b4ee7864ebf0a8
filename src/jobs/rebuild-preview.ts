import type { Kysely, Transaction } from 'kysely';
import type { CatalogSchema } from '../catalog/catalog-schema.js';
import type { FileSummary } from '../catalog/file-catalog.js';
import type { Mission } from '../mission/load-mission.js';
import type { ProcessingRuleConfig } from '../mission/mission-schema.js';
import type { Deployment, ProcessorRegistry, Tier } from '../processors/processor-registry.js';
import { currentOutputs, scopeKey, type CampaignScope } from './campaign-scopes.js';
import { matchesFields } from './field-match.js';
import { inputsHash } from './job-identity.js';
import { gatherInputs } from './job-planner.js';
import { scopesTouchedBy } from './job-scope.js';

/** The most scopes a preview follows downstream; beyond it the preview says it was cut. */
export const MAX_PREVIEW_SCOPES = 100_000;

/** What rebuilding the scopes of one rule means. */
export interface RebuildRow {
  rule: string;
  /** `name@version` that would run, or the name alone when no version is active. */
  processor: string;
  tier: Tier;
  /** True for rules reached through the outputs of the requested ones (they re-trigger). */
  downstream: boolean;
  /** Levels the processor makes. */
  levels: string[];
  jobs: number;
  /** Requested scopes only, when checked: inputs present and no identical job yet (a job would run). */
  ready?: number;
  /** Requested scopes only: the same job (version, tier, exact inputs) is already queued, running or done. */
  unchanged?: number;
  /** Requested scopes only: a required input is missing. */
  waiting?: number;
  /** Current files (newest versions) that the jobs would supersede, in total and per product. */
  files: number;
  products: Record<string, number>;
  firstDay: string;
  lastDay: string;
}

export interface RebuildPreview {
  rows: RebuildRow[];
  jobs: number;
  files: number;
  /** Set when the downstream walk stopped at MAX_PREVIEW_SCOPES. */
  truncated: boolean;
}

export interface RebuildPreviewDependencies {
  db: Kysely<CatalogSchema>;
  mission: Mission;
  processors: ProcessorRegistry;
}

export interface RebuildPreviewOptions {
  /** The version the requested scopes run with (for its rules); otherwise each rule's production version. */
  pin?: Deployment;
  /** Whether to check each requested scope's inputs and job identity (not for a new file: its inputs change). */
  checkReadiness: boolean;
  /** The tier whose jobs count as "already done" (default: the running version's tier). */
  identityTier?: Tier;
}

/**
 * Previews what rebuilding `scopes` would do, before anything is queued: per rule, the jobs, the
 * files they would supersede, and, following those files to the rules they trigger, the
 * downstream jobs that would run again. Downstream jobs are predicted from the current outputs.
 */
export async function previewRebuild(deps: RebuildPreviewDependencies, scopes: readonly CampaignScope[], options: RebuildPreviewOptions): Promise<RebuildPreview> {
  const rules = new Map(deps.mission.config.processing.rules.map((r) => [r.id, r]));
  const producers = new Map<string, Deployment | undefined>();
  // Resolved before the transaction: PGlite has one connection.
  for (const rule of rules.values()) producers.set(rule.id, options.pin?.name === rule.processor ? options.pin : await deps.processors.active(rule.processor, 'production'));
  return deps.db.transaction().execute(async (trx) => {
    const rows = new Map<string, RebuildRow>();
    const seen = new Set<string>();
    let queue: { scope: CampaignScope; downstream: boolean }[] = scopes.map((scope) => ({ scope, downstream: false }));
    let truncated = false;
    while (queue.length > 0) {
      const next: typeof queue = [];
      for (const { scope, downstream } of queue) {
        const key = scopeKey(scope);
        const rule = rules.get(scope.rule);
        if (seen.has(key) || !rule) continue;
        if (seen.size >= MAX_PREVIEW_SCOPES) {
          truncated = true;
          break;
        }
        seen.add(key);
        const producer = producers.get(rule.id);
        const row = rowOf(rows, rule, producer, downstream);
        const day = scope.windowStart.toISOString().slice(0, 10);
        row.jobs += 1;
        if (day < row.firstDay || row.firstDay === '') row.firstDay = day;
        if (day > row.lastDay) row.lastDay = day;
        if (!downstream && options.checkReadiness && producer) await countReadiness(trx, deps.mission.config.id, rule, scope, producer, options.identityTier ?? producer.tier, row);
        const outputs = producer ? await currentOutputs(trx, deps.mission.config.id, producer, scope) : [];
        row.files += outputs.length;
        for (const file of outputs) row.products[file.product] = (row.products[file.product] ?? 0) + 1;
        next.push(...(await triggeredBy(trx, deps.mission, rule, outputs)).map((s) => ({ scope: s, downstream: true })));
      }
      queue = truncated ? [] : next;
    }
    const list = [...rows.values()];
    return { rows: list, jobs: list.reduce((n, r) => n + r.jobs, 0), files: list.reduce((n, r) => n + r.files, 0), truncated };
  });
}

function rowOf(rows: Map<string, RebuildRow>, rule: ProcessingRuleConfig, producer: Deployment | undefined, downstream: boolean): RebuildRow {
  const key = `${rule.id}|${downstream}`;
  let row = rows.get(key);
  if (!row) {
    const levels = producer ? [...new Set(producer.bundle.manifest.produces.flatMap((m) => (m.level === undefined ? [] : Array.isArray(m.level) ? m.level : [m.level])))] : [];
    row = { rule: rule.id, processor: producer ? `${producer.name}@${producer.version}` : rule.processor, tier: producer?.tier ?? 'production', downstream, levels, jobs: 0, files: 0, products: {}, firstDay: '', lastDay: '' };
    rows.set(key, row);
  }
  return row;
}

async function countReadiness(trx: Transaction<CatalogSchema>, missionId: string, rule: ProcessingRuleConfig, scope: CampaignScope, deployment: Deployment, tier: Tier, row: RebuildRow): Promise<void> {
  const inputs = await gatherInputs(trx, missionId, rule, scope);
  if (!inputs.complete) {
    row.waiting = (row.waiting ?? 0) + 1;
    return;
  }
  const hash = inputsHash(inputs.files.map((f) => ({ fileId: f.id, name: f.name, sha256: f.sha256 })));
  const same = await trx.selectFrom('jobs').select('id')
    .where('processor', '=', deployment.name).where('processor_version', '=', deployment.version).where('tier', '=', tier)
    .where('inputs_hash', '=', hash).where('state', 'in', ['queued', 'running', 'retrying', 'succeeded'])
    .executeTakeFirst();
  if (same) row.unchanged = (row.unchanged ?? 0) + 1;
  else row.ready = (row.ready ?? 0) + 1;
}

/** The scopes of other rules that new versions of these files would mark (the next levels). */
async function triggeredBy(trx: Transaction<CatalogSchema>, mission: Mission, from: ProcessingRuleConfig, outputs: readonly FileSummary[]): Promise<CampaignScope[]> {
  const scopes: CampaignScope[] = [];
  for (const output of outputs) {
    const file = { ...output, dataType: output.data_type, start: output.start_time, end: output.end_time };
    for (const rule of mission.config.processing.rules) {
      if (rule.id === from.id || !rule.trigger.some((match) => matchesFields(file, match))) continue;
      for (const scope of await scopesTouchedBy(trx, mission.config.id, rule, file)) scopes.push({ ...scope, rule: rule.id });
    }
  }
  return scopes;
}
