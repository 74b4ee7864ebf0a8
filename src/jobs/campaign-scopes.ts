/**
 * Which job scopes a reprocessing request covers: a date range of the rules that make a product,
 * the scopes a new input file would re-trigger, or those a new processor version would rebuild.
 */
import type { Kysely, Transaction } from 'kysely';
import type { CatalogSchema } from '../catalog/catalog-schema.js';
import type { FileSummary } from '../catalog/file-catalog.js';
import { SdcError } from '../errors/sdc-error.js';
import type { Mission } from '../mission/load-mission.js';
import type { FieldMatch, ProcessingRuleConfig } from '../mission/mission-schema.js';
import type { Deployment, ProcessorRegistry, Tier } from '../processors/processor-registry.js';
import { matchesFields, type MatchableFile } from './field-match.js';
import { DAY_MS, dayStart, findMatchingFiles } from './input-query.js';
import { scopeOfPrimary, scopesTouchedBy, type JobScope } from './job-scope.js';

type Db = Kysely<CatalogSchema> | Transaction<CatalogSchema>;

/** One job's worth of work for a campaign: a rule, a group and a day. */
export interface CampaignScope extends JobScope {
  rule: string;
}

/** `name@version`, as the command line writes a processor version. */
export interface ProcessorRef {
  name: string;
  version: string;
}

export function parseProcessorRef(text: string): ProcessorRef {
  const match = /^([a-z0-9][a-z0-9-]*)@(\d+\.\d+\.\d+)$/.exec(text.trim());
  if (!match) throw new SdcError('invalid-request', `a processor version is written NAME@X.Y.Z (e.g. fgm-l2@5.0.0), got '${text}'`);
  return { name: match[1]!, version: match[2]! };
}

/**
 * The deployment a campaign pinned to `ref` runs: the version must be active in a tier
 * (production first, unless `tier` says which), since a campaign's outputs land in that tier.
 */
export async function resolvePin(processors: ProcessorRegistry, ref: ProcessorRef, tier?: Tier): Promise<Deployment> {
  const versions = (await processors.list()).filter((d) => d.name === ref.name);
  if (versions.length === 0) throw new SdcError('not-found', `no processor ${ref.name} is deployed`);
  const active = versions.filter((d) => d.version === ref.version && d.active && (!tier || d.tier === tier));
  const chosen = active.find((d) => d.tier === 'production') ?? active[0];
  if (chosen) return chosen;
  const running = versions.filter((d) => d.active).map((d) => `${d.tier} runs ${d.version}`).join(', ') || 'no tier runs it';
  throw new SdcError('invalid-request', `${ref.name}@${ref.version} is not active in ${tier ?? 'any tier'} (${running}); deploy it to staging or promote it first`, { ...ref });
}

/** The manifest whose products a rule makes: the pinned version's for its processor, else production's. */
export async function producerOf(processors: ProcessorRegistry, rule: ProcessingRuleConfig, pin?: Deployment): Promise<Deployment | undefined> {
  if (pin && pin.name === rule.processor) return pin;
  return processors.active(rule.processor, 'production');
}

/** Whether a manifest's `produces` includes files with every given field value. */
export function produces(deployment: Deployment, wanted: Record<string, string>): boolean {
  return deployment.bundle.manifest.produces.some((match) => Object.entries(wanted).every(([field, value]) => {
    const declared = match[field];
    return Array.isArray(declared) ? declared.includes(value) : declared === value;
  }));
}

/**
 * The rules whose processor makes files with the wanted fields (e.g. instrument and level);
 * with a pinned version, only the rules that run that processor. Fails with what exists when
 * nothing matches.
 */
export async function rulesMaking(mission: Mission, processors: ProcessorRegistry, wanted: Record<string, string>, pin?: Deployment): Promise<ProcessingRuleConfig[]> {
  const candidates = mission.config.processing.rules.filter((r) => !pin || r.processor === pin.name);
  if (pin && candidates.length === 0) throw new SdcError('invalid-request', `no processing rule of mission ${mission.config.id} runs ${pin.name}`);
  const chosen: ProcessingRuleConfig[] = [];
  for (const rule of candidates) {
    const producer = await producerOf(processors, rule, pin);
    if (producer && produces(producer, wanted)) chosen.push(rule);
  }
  if (chosen.length > 0) return chosen;
  const asked = Object.entries(wanted).map(([k, v]) => `${k}=${v}`).join(' ') || 'anything';
  throw new SdcError('invalid-request', `no processing rule${pin ? ` running ${pin.name}@${pin.version}` : ''} makes ${asked}`, { wanted });
}

/** Every scope of `rule` whose day lies in [from, to): one per primary input file's group and day. */
export async function scopesInRange(db: Db, missionId: string, rule: ProcessingRuleConfig, range: { from: Date; to: Date }): Promise<CampaignScope[]> {
  const first = dayStart(range.from);
  const primaries = await findMatchingFiles(db, missionId, rule.inputs[0]!.match, { from: first, to: range.to });
  const scopes = new Map<string, CampaignScope>();
  for (const file of primaries) {
    const scope = scopeOfPrimary(rule, file);
    if (scope.windowStart < first || scope.windowStart >= range.to) continue;
    scopes.set(scopeKey({ ...scope, rule: rule.id }), { ...scope, rule: rule.id });
  }
  return sortScopes([...scopes.values()]);
}

/** The scopes a new file would re-trigger (it need not be in the catalog yet): what its arrival marks. */
export async function scopesOfNewFile(db: Db, mission: Mission, file: MatchableFile & { start: Date; end: Date }): Promise<CampaignScope[]> {
  const scopes: CampaignScope[] = [];
  for (const rule of mission.config.processing.rules) {
    if (!rule.trigger.some((match) => matchesFields(file, match))) continue;
    for (const scope of await scopesTouchedBy(db, mission.config.id, rule, file)) scopes.push({ ...scope, rule: rule.id });
  }
  return sortScopes(scopes);
}

/**
 * The scopes a new version of a processor would rebuild: every (rule, group, day) whose newest
 * successful production job ran another version.
 */
export async function scopesOfPromotion(db: Db, mission: Mission, ref: ProcessorRef): Promise<CampaignScope[]> {
  const rules = new Map(mission.config.processing.rules.filter((r) => r.processor === ref.name).map((r) => [r.id, r]));
  const jobs = await db
    .selectFrom('jobs')
    .select(['rule', 'group_key', 'window_start', 'processor_version', 'id'])
    .where('mission', '=', mission.config.id)
    .where('processor', '=', ref.name)
    .where('tier', '=', 'production')
    .where('state', '=', 'succeeded')
    .orderBy('id')
    .execute();
  const newest = new Map<string, (typeof jobs)[number]>();
  for (const job of jobs) newest.set(`${job.rule}|${job.group_key}|${job.window_start.toISOString()}`, job);
  const scopes: CampaignScope[] = [];
  for (const job of newest.values()) {
    const rule = rules.get(job.rule);
    if (!rule || job.processor_version === ref.version) continue;
    scopes.push({ rule: rule.id, groupKey: job.group_key, groupValues: groupValuesOf(rule, job.group_key), windowStart: job.window_start });
  }
  return sortScopes(scopes);
}

/** The group values a group key stands for (the inverse of `groupKeyOf`). */
export function groupValuesOf(rule: ProcessingRuleConfig, groupKey: string): Record<string, string> {
  const parts = rule.groupBy.length === 0 ? [] : groupKey.split('/');
  return Object.fromEntries(rule.groupBy.map((field, i) => [field, parts[i] === '_' ? '' : (parts[i] ?? '')]));
}

/**
 * The files a scope's job writes again: the newest production files of its processor's products,
 * in its group and day.
 */
export async function currentOutputs(db: Db, missionId: string, producer: Deployment, scope: JobScope): Promise<FileSummary[]> {
  const group: FieldMatch = Object.fromEntries(Object.entries(scope.groupValues).filter(([, v]) => v !== ''));
  const range = { from: scope.windowStart, to: new Date(scope.windowStart.getTime() + DAY_MS) };
  const found: FileSummary[] = [];
  for (const match of producer.bundle.manifest.produces) {
    const files = await findMatchingFiles(db, missionId, { ...match, ...group }, range);
    found.push(...files.filter((f) => f.start_time >= range.from && f.start_time < range.to));
  }
  return found;
}

export function scopeKey(scope: CampaignScope): string {
  return `${scope.rule}|${scope.groupKey}|${scope.windowStart.toISOString()}`;
}

function sortScopes(scopes: CampaignScope[]): CampaignScope[] {
  return scopes.sort((a, b) => a.windowStart.getTime() - b.windowStart.getTime() || a.rule.localeCompare(b.rule) || a.groupKey.localeCompare(b.groupKey));
}
