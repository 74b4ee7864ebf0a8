import type { Kysely, Transaction } from 'kysely';
import type { CatalogSchema } from '../catalog/catalog-schema.js';
import type { FileSummary } from '../catalog/file-catalog.js';
import type { ProcessingRuleConfig } from '../mission/mission-schema.js';
import { matchesFields, type MatchableFile } from './field-match.js';
import { DAY_MS, dayStart, findMatchingFiles } from './input-query.js';

type Db = Kysely<CatalogSchema> | Transaction<CatalogSchema>;

/** One job's worth of a rule: a group (e.g. spacecraft and mode) and a day. */
export interface JobScope {
  groupKey: string;
  groupValues: Record<string, string>;
  windowStart: Date;
}

/** A file as the trigger sees it. */
export type TriggerFile = MatchableFile & { start: Date; end: Date };

/** The most job scopes one arrival may touch; more is logged and cut (use a campaign). */
export const MAX_SCOPES = 5_000;

export function groupKeyOf(rule: ProcessingRuleConfig, values: Record<string, string | null | undefined>): string {
  return rule.groupBy.map((field) => values[field] ?? '_').join('/');
}

/**
 * The scopes of `rule` that a file touches. The rule's primary input (its first) defines them:
 * every primary file that shares the file's known group fields and falls in the file's days, or,
 * for an input in force until replaced (`latest-before`, e.g. a calibration), every day from
 * the file's start until the next such file.
 */
export async function scopesTouchedBy(db: Db, mission: string, rule: ProcessingRuleConfig, file: TriggerFile): Promise<JobScope[]> {
  const primary = rule.inputs[0]!;
  const known = Object.fromEntries(rule.groupBy.flatMap((f) => (typeof file[f as keyof MatchableFile] === 'string' ? [[f, file[f as keyof MatchableFile] as string]] : [])));
  const asInput = rule.inputs.find((input) => matchesFields(file, input.match));
  let range: { from?: Date; to?: Date };
  if (asInput?.window === 'latest-before') {
    const sameKind = { ...asInput.match, ...pick(known, asInput.sameAs ?? rule.groupBy) };
    const later = (await findMatchingFiles(db, mission, sameKind, { from: new Date(file.start.getTime() + 1) })).filter((f) => f.start_time > file.start);
    const next = later.reduce<Date | undefined>((min, f) => (!min || f.start_time < min ? f.start_time : min), undefined);
    range = { from: dayStart(file.start), ...(next ? { to: next } : {}) };
  } else {
    const end = Math.max(file.end.getTime(), file.start.getTime() + 1);
    range = { from: dayStart(file.start), to: new Date(Math.ceil(end / DAY_MS) * DAY_MS) };
  }
  const primaries = await findMatchingFiles(db, mission, { ...primary.match, ...known }, range);
  const scopes = new Map<string, JobScope>();
  for (const p of primaries) {
    const windowStart = dayStart(p.start_time);
    if (range.from && windowStart < range.from) continue;
    const scope = scopeOfPrimary(rule, p);
    scopes.set(`${scope.groupKey}@${windowStart.toISOString()}`, scope);
  }
  return [...scopes.values()];
}

/** The scope of `rule` that one of its primary input files defines: its group and its day. */
export function scopeOfPrimary(rule: ProcessingRuleConfig, primary: FileSummary): JobScope {
  const groupValues = Object.fromEntries(rule.groupBy.map((f) => [f, String((primary as unknown as Record<string, unknown>)[f] ?? '')]));
  return { groupKey: groupKeyOf(rule, groupValues), groupValues, windowStart: dayStart(primary.start_time) };
}

function pick(values: Record<string, string>, fields: readonly string[]): Record<string, string> {
  return Object.fromEntries(Object.entries(values).filter(([k]) => fields.includes(k)));
}
