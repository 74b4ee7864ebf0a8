import type { Request } from 'express';
import { HttpRequestError } from '../http-errors.js';
import { parseCompatDate } from './compat-date.js';

/** Longest comma list accepted for one parameter. */
const MAX_LIST = 1000;

/** The query of a legacy file service, from the query string and a form body merged. */
export interface CompatQuery {
  spacecraft?: string[];
  instrument?: string[];
  mode?: string[];
  level?: string[];
  descriptor?: string[];
  dataType?: string[];
  versions?: string[];
  files?: string[];
  from?: Date;
  to?: Date;
}

const FIELD_PARAMS = {
  spacecraft: 'sc_id',
  instrument: 'instrument_id',
  mode: 'data_rate_mode',
  level: 'data_level',
  descriptor: 'descriptor',
} as const;

const KNOWN = new Set(['sc_id', 'instrument_id', 'data_rate_mode', 'data_level', 'descriptor', 'product', 'version', 'file', 'files', 'start_date', 'end_date', 'start_time', 'end_time']);

/**
 * Reads a legacy query: comma lists (field values compared in lower case), `file`/`files`,
 * `version`, dates from `start_date`/`end_date` or `start_time`/`end_time`. Unknown parameters
 * are ignored, as clients add their own (cache busters, trailing `&`).
 */
export function parseCompatQuery(req: Request, dataTypeParam: string | undefined): CompatQuery {
  const raw = mergedParams(req);
  const list = (name: string, lower: boolean) => {
    const value = raw.get(name);
    if (value === undefined) return undefined;
    const items = value.split(',').map((s) => s.trim()).filter(Boolean).map((s) => (lower ? s.toLowerCase() : s));
    if (items.length > MAX_LIST) throw new HttpRequestError('invalid-request', `${name} lists more than ${MAX_LIST} values`);
    return items.length > 0 ? items : undefined;
  };
  const query: CompatQuery = {};
  for (const [field, param] of Object.entries(FIELD_PARAMS) as [keyof typeof FIELD_PARAMS, string][]) {
    const values = list(param, true);
    if (values) query[field] = values;
  }
  const dataTypes = dataTypeParam ? list(dataTypeParam, true) : undefined;
  if (dataTypes) query.dataType = dataTypes;
  const versions = list('version', false)?.map((v) => v.replace(/^v/i, ''));
  if (versions) query.versions = versions;
  const files = [...(list('file', false) ?? []), ...(list('files', false) ?? [])].map(baseName);
  if (files.length > 0) query.files = files;
  const from = raw.get('start_date') ?? raw.get('start_time');
  const to = raw.get('end_date') ?? raw.get('end_time');
  if (from) query.from = parseCompatDate(from, 'start_date', false);
  if (to) query.to = parseCompatDate(to, 'end_date', true);
  if (query.from && query.to && query.to < query.from) throw new HttpRequestError('invalid-request', 'end_date is before start_date');
  return query;
}

/** Whether the request names anything at all (a download without any is a 400, not a 401). */
export function hasKnownParams(req: Request): boolean {
  return [...mergedParams(req).keys()].some((k) => KNOWN.has(k));
}

/** Query string and urlencoded body, lower-cased keys; repeated keys are joined as a comma list. */
function mergedParams(req: Request): Map<string, string> {
  const merged = new Map<string, string>();
  const body = typeof req.body === 'object' && req.body !== null ? (req.body as Record<string, unknown>) : {};
  for (const source of [req.query as Record<string, unknown>, body]) {
    for (const [key, value] of Object.entries(source)) {
      const text = Array.isArray(value) ? value.map(String).join(',') : typeof value === 'string' ? value : undefined;
      if (text === undefined) continue;
      if (/[\u0000-\u001f\u007f]/.test(text + key)) throw new HttpRequestError('invalid-request', `parameter '${key.replace(/[\u0000-\u001f\u007f]/g, '?')}' holds a control character`);
      const k = key.toLowerCase();
      merged.set(k, merged.has(k) ? `${merged.get(k)},${text}` : text);
    }
  }
  return merged;
}

/** pymms may send server paths (`.../2015/10/name.cdf`); only the base name identifies a file. */
function baseName(name: string): string {
  const slash = Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\'));
  return slash < 0 ? name : name.slice(slash + 1);
}
