import { DateTime } from 'luxon';

/** Values a template can use: parsed fields and the file's start time. */
export interface TemplateValues {
  fields: Readonly<Record<string, string | undefined>>;
  start: Date;
}

const PLACEHOLDER = /\{([a-zA-Z]+)(?::([^}]+))?\}/g;

/**
 * Renders `{field}` and `{start:<Luxon format>}` placeholders. A placeholder that renders empty
 * also drops one separator character next to it (the one before it, or after it when it leads),
 * so that `{level}_{descriptor}` gives `l2` when there is no descriptor.
 */
export function renderTemplate(template: string, values: TemplateValues): string {
  let out = '';
  let last = 0;
  let dropNextSeparator = false;
  for (const match of template.matchAll(PLACEHOLDER)) {
    let literal = template.slice(last, match.index);
    if (dropNextSeparator) literal = literal.slice(1);
    const value = renderPlaceholder(match[1] ?? '', match[2], values);
    const leading = out === '' && literal === '';
    dropNextSeparator = value === '' && leading;
    out += value === '' && !leading ? literal.slice(0, -1) : literal;
    out += value;
    last = match.index + match[0].length;
  }
  const tail = template.slice(last);
  return out + (dropNextSeparator ? tail.slice(1) : tail);
}

/** Names of the placeholders a template uses (checked against the grammar at start-up). */
export function templateFields(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)].map((m) => m[1] ?? '');
}

function renderPlaceholder(name: string, format: string | undefined, values: TemplateValues): string {
  if (name === 'start') return DateTime.fromJSDate(values.start, { zone: 'utc' }).toFormat(format ?? "yyyyMMdd'T'HHmmss");
  return values.fields[name] ?? '';
}
