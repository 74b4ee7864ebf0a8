/**
 * The structure of a PROV-JSON document as the W3C Member Submission "PROV-JSON" (2013-04-24)
 * and its JSON schema define it, as a zod schema: a `prefix` map of URIs, then maps of records
 * per PROV-DM type keyed by qualified names (or `_:` blank ids), each record a map of qualified
 * attribute names to literals (a JSON string/number/boolean, or `{ "$": ..., "type" | "lang" }`),
 * with the attributes PROV-DM requires of each relation. `provJsonProblems` adds the check the
 * schema cannot express: every prefix used in an identifier is declared.
 */
import { z } from 'zod';

const PREFIX = /^[a-zA-Z0-9_-]+$/;
const QUALIFIED_NAME = /^(?:_:[A-Za-z0-9_.-]+|[A-Za-z_][A-Za-z0-9_.-]*:[A-Za-z0-9_.%-]*)$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})?$/;

const qualifiedName = z.string().regex(QUALIFIED_NAME, 'a qualified name prefix:local or a blank id _:x');
const typedLiteral = z.object({ $: z.string(), type: qualifiedName }).strict();
const langLiteral = z.object({ $: z.string(), lang: z.string() }).strict();
const literal = z.union([z.string(), z.number(), z.boolean(), typedLiteral, langLiteral]);
const attributes = z.record(z.string().regex(QUALIFIED_NAME), z.union([literal, z.array(literal).min(1)]));

/** A record kind: its id-valued and time-valued formal attributes, and which are required. */
const relation = (ids: Record<string, boolean>, times: string[] = []) =>
  z.record(
    qualifiedName,
    attributes.superRefine((record, ctx) => {
      for (const [name, required] of Object.entries(ids)) {
        const value = record[name];
        if (value === undefined) {
          if (required) ctx.addIssue({ code: 'custom', message: `missing ${name}` });
        } else if (typeof value !== 'string' || !QUALIFIED_NAME.test(value)) ctx.addIssue({ code: 'custom', message: `${name} must be a qualified name` });
      }
      for (const name of times) {
        const value = record[name];
        if (value !== undefined && (typeof value !== 'string' || !DATE_TIME.test(value))) ctx.addIssue({ code: 'custom', message: `${name} must be an xsd:dateTime` });
      }
    }),
  );

export const provJsonSchema = z
  .object({
    prefix: z.record(z.string().regex(PREFIX), z.string().url()).optional(),
    entity: relation({}).optional(),
    activity: relation({}, ['prov:startTime', 'prov:endTime']).optional(),
    agent: relation({}).optional(),
    wasGeneratedBy: relation({ 'prov:entity': true, 'prov:activity': false }, ['prov:time']).optional(),
    used: relation({ 'prov:activity': true, 'prov:entity': false }, ['prov:time']).optional(),
    wasInformedBy: relation({ 'prov:informed': true, 'prov:informant': true }).optional(),
    wasStartedBy: relation({ 'prov:activity': true, 'prov:trigger': false, 'prov:starter': false }, ['prov:time']).optional(),
    wasEndedBy: relation({ 'prov:activity': true, 'prov:trigger': false, 'prov:ender': false }, ['prov:time']).optional(),
    wasInvalidatedBy: relation({ 'prov:entity': true, 'prov:activity': false }, ['prov:time']).optional(),
    wasDerivedFrom: relation({ 'prov:generatedEntity': true, 'prov:usedEntity': true, 'prov:activity': false, 'prov:generation': false, 'prov:usage': false }).optional(),
    wasAttributedTo: relation({ 'prov:entity': true, 'prov:agent': true }).optional(),
    wasAssociatedWith: relation({ 'prov:activity': true, 'prov:agent': false, 'prov:plan': false }).optional(),
    actedOnBehalfOf: relation({ 'prov:delegate': true, 'prov:responsible': true, 'prov:activity': false }).optional(),
    wasInfluencedBy: relation({ 'prov:influencee': true, 'prov:influencer': true }).optional(),
    specializationOf: relation({ 'prov:specificEntity': true, 'prov:generalEntity': true }).optional(),
    alternateOf: relation({ 'prov:alternate1': true, 'prov:alternate2': true }).optional(),
    hadMember: relation({ 'prov:collection': true, 'prov:entity': true }).optional(),
    bundle: z.record(qualifiedName, z.record(z.string(), z.unknown())).optional(),
  })
  .strict();

const ID_ATTRIBUTES = new Set(['prov:entity', 'prov:activity', 'prov:agent', 'prov:plan', 'prov:generatedEntity', 'prov:usedEntity', 'prov:delegate', 'prov:responsible', 'prov:informed', 'prov:informant', 'prov:trigger']);

/** Every problem of a document: schema violations, then identifiers with undeclared prefixes. */
export function provJsonProblems(doc: unknown): string[] {
  const parsed = provJsonSchema.safeParse(doc);
  if (!parsed.success) return parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  const declared = new Set(['prov', 'xsd', '_', ...Object.keys(parsed.data.prefix ?? {})]);
  const problems: string[] = [];
  const check = (name: string, where: string) => {
    const prefix = name.split(':')[0]!;
    if (!declared.has(prefix)) problems.push(`${where}: prefix '${prefix}' of ${name} is not declared`);
  };
  for (const [kind, records] of Object.entries(parsed.data)) {
    if (kind === 'prefix' || kind === 'bundle') continue;
    for (const [id, record] of Object.entries(records as Record<string, Record<string, unknown>>)) {
      check(id, kind);
      for (const [name, value] of Object.entries(record)) {
        check(name, `${kind}.${id}`);
        if (ID_ATTRIBUTES.has(name) && typeof value === 'string') check(value, `${kind}.${id}.${name}`);
        if (typeof value === 'object' && value !== null && 'type' in value) check(String((value as { type: string }).type), `${kind}.${id}.${name}`);
      }
    }
  }
  return problems;
}
