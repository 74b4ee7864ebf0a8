/**
 * PROV-N (W3C Recommendation "PROV-N: The Provenance Notation") of a PROV document built by
 * prov-document.ts: the same records, one statement a line.
 */
import type { ProvAttributes, ProvDocument, ProvLiteral } from './prov-document.js';

export function toProvN(doc: ProvDocument): string {
  const lines = ['document'];
  for (const [prefix, uri] of Object.entries(doc.prefix)) {
    if (prefix !== 'prov' && prefix !== 'xsd') lines.push(`  prefix ${prefix} <${uri}>`);
  }
  for (const [id, a] of Object.entries(doc.entity ?? {})) lines.push(`  entity(${id}${attributes(a)})`);
  for (const [id, a] of Object.entries(doc.activity ?? {})) {
    const { 'prov:startTime': start, 'prov:endTime': end, ...rest } = a;
    lines.push(`  activity(${id}, ${time(start)}, ${time(end)}${attributes(rest)})`);
  }
  for (const [id, a] of Object.entries(doc.agent ?? {})) lines.push(`  agent(${id}${attributes(a)})`);
  for (const a of Object.values(doc.used ?? {})) {
    const { 'prov:activity': activity, 'prov:entity': entity, 'prov:time': at, ...rest } = a;
    lines.push(`  used(${ref(activity)}, ${ref(entity)}, ${time(at)}${attributes(rest)})`);
  }
  for (const a of Object.values(doc.wasGeneratedBy ?? {})) {
    const { 'prov:entity': entity, 'prov:activity': activity, 'prov:time': at, ...rest } = a;
    lines.push(`  wasGeneratedBy(${ref(entity)}, ${ref(activity)}, ${time(at)}${attributes(rest)})`);
  }
  for (const a of Object.values(doc.wasDerivedFrom ?? {})) {
    const { 'prov:generatedEntity': generated, 'prov:usedEntity': used, 'prov:activity': activity, ...rest } = a;
    lines.push(`  wasDerivedFrom(${ref(generated)}, ${ref(used)}, ${ref(activity)}, -, -${attributes(rest)})`);
  }
  for (const a of Object.values(doc.wasAssociatedWith ?? {})) {
    const { 'prov:activity': activity, 'prov:agent': agent, 'prov:plan': plan, ...rest } = a;
    lines.push(`  wasAssociatedWith(${ref(activity)}, ${ref(agent)}, ${ref(plan)}${attributes(rest)})`);
  }
  for (const a of Object.values(doc.actedOnBehalfOf ?? {})) {
    const { 'prov:delegate': delegate, 'prov:responsible': responsible, 'prov:activity': activity, ...rest } = a;
    lines.push(`  actedOnBehalfOf(${ref(delegate)}, ${ref(responsible)}, ${ref(activity)}${attributes(rest)})`);
  }
  lines.push('endDocument');
  return `${lines.join('\n')}\n`;
}

type Value = ProvLiteral | ProvLiteral[] | undefined;

/** An identifier argument, or `-` when absent. */
function ref(value: Value): string {
  if (value === undefined) return '-';
  return typeof value === 'object' && !Array.isArray(value) ? value.$ : String(value);
}

function time(value: Value): string {
  return value === undefined ? '-' : ref(value);
}

function attributes(a: ProvAttributes): string {
  const pairs = Object.entries(a).flatMap(([key, value]) => (Array.isArray(value) ? value : [value]).map((v) => `${key}=${literal(v)}`));
  return pairs.length === 0 ? '' : `, [${pairs.join(', ')}]`;
}

function literal(value: ProvLiteral): string {
  if (typeof value === 'number') return `"${value}" %% xsd:${Number.isInteger(value) ? 'int' : 'double'}`;
  if (typeof value === 'boolean') return `"${value}" %% xsd:boolean`;
  if (typeof value === 'string') return quoted(value);
  if (value.type === 'prov:QUALIFIED_NAME') return `'${value.$}'`;
  return `${quoted(value.$)} %% ${value.type}`;
}

function quoted(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}
