import { HttpRequestError } from '../http-errors.js';

export type LatisOperator = '>=' | '<=' | '>' | '<' | '=';

/** One `NAME<op>VALUE` selection (all are ANDed). */
export interface LatisSelection {
  column: string;
  op: LatisOperator;
  value: string;
}

export interface LatisQuery {
  /** Output columns in this order; undefined = every column. */
  projection?: string[];
  selections: LatisSelection[];
}

const SELECTION = /^([A-Za-z0-9_]+)(>=|<=|>|<|=)(.*)$/;

/**
 * Parses a LaTiS query from the raw query string: pieces split on `&`, each percent-decoded
 * whole (clients encode `>` as `%3E` and may leave the `=` out: `TAISTARTTIME%3C1826150435`), a
 * piece without an operator being the projection (a comma list of names). Column names are
 * compared in upper case; unknown names are refused with the list of known ones.
 */
export function parseLatisQuery(rawQuery: string, columns: readonly string[]): LatisQuery {
  const known = new Set(columns);
  const query: LatisQuery = { selections: [] };
  for (const piece of rawQuery.split('&')) {
    if (piece === '') continue;
    let text: string;
    try {
      text = decodeURIComponent(piece.replace(/\+/g, ' '));
    } catch {
      throw new HttpRequestError('invalid-request', `malformed percent-encoding in '${piece}'`);
    }
    const match = SELECTION.exec(text);
    if (match) {
      const column = match[1]!.toUpperCase();
      if (!known.has(column)) throw new HttpRequestError('invalid-request', `unknown column '${match[1]}' (columns: ${columns.join(', ')})`);
      query.selections.push({ column, op: match[2] as LatisOperator, value: match[3]!.trim() });
      continue;
    }
    const names = text.split(',').map((n) => n.trim().toUpperCase()).filter(Boolean);
    for (const name of names) if (!known.has(name)) throw new HttpRequestError('invalid-request', `unknown column '${name}' in the projection (columns: ${columns.join(', ')})`);
    if (names.length > 0) query.projection = [...(query.projection ?? []), ...names];
  }
  return query;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** A time literal of a selection: `YYYY-MM-DD`, `YYYY-MM-DD[T ]hh:mm:ss[.sss]`, `DD-Mon-YYYY` (UTC). */
export function parseLatisTime(text: string, column: string): Date {
  const iso = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?)?Z?$/.exec(text);
  const dmy = /^(\d{1,2})-([A-Za-z]{3})-(\d{4})$/.exec(text);
  let date: Date | undefined;
  if (iso) date = new Date(Date.UTC(+iso[1]!, +iso[2]! - 1, +iso[3]!, +(iso[4] ?? 0), +(iso[5] ?? 0), +(iso[6] ?? 0), iso[7] ? Math.floor(Number(`0.${iso[7]}`) * 1000) : 0));
  else if (dmy && MONTHS.includes(dmy[2]!.toLowerCase())) date = new Date(Date.UTC(+dmy[3]!, MONTHS.indexOf(dmy[2]!.toLowerCase()), +dmy[1]!));
  if (!date || Number.isNaN(date.getTime())) throw new HttpRequestError('invalid-request', `${column}: '${text}' is not a time (YYYY-MM-DD, YYYY-MM-DDThh:mm:ss or DD-Mon-YYYY)`);
  return date;
}

/** A number literal of a selection. */
export function parseLatisNumber(text: string, column: string): number {
  const value = Number(text);
  if (text === '' || !Number.isFinite(value)) throw new HttpRequestError('invalid-request', `${column}: '${text}' is not a number`);
  return value;
}

/** Whether `left <op> right` holds. */
export function compare<T extends number | string>(left: T, op: LatisOperator, right: T): boolean {
  switch (op) {
    case '>=': return left >= right;
    case '<=': return left <= right;
    case '>': return left > right;
    case '<': return left < right;
    case '=': return left === right;
  }
}

/** CSV text: header line, then rows; every line ends with `\n`. */
export function latisCsv(header: readonly string[], rows: readonly (readonly string[])[]): string {
  return [header.join(','), ...rows.map((r) => r.join(','))].map((l) => `${l}\n`).join('');
}
