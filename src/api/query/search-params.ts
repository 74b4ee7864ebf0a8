import type { Request } from 'express';
import { HttpRequestError } from '../http-errors.js';
import { FIELD_COLUMNS, type FileSearch, type FilterField } from './file-query.js';

/** Largest page of the JSON search. */
export const MAX_PAGE = 1000;

/** Query parameters of `GET /api/v1/files` and their catalog columns. */
const PARAMS: Record<string, FilterField> = { ...FIELD_COLUMNS, version: 'version_label', name: 'name' };

/** A page position: the last row's start time and id, opaque to clients. */
export function encodeCursor(start: Date, id: number): string {
  return Buffer.from(`${start.toISOString()}|${id}`).toString('base64url');
}

function decodeCursor(cursor: string): { start: Date; id: number } {
  const [time, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const start = new Date(time ?? '');
  if (Number.isNaN(start.getTime()) || !/^\d+$/.test(id ?? '')) throw new HttpRequestError('invalid-request', 'cursor is not one this API returned');
  return { start, id: Number(id) };
}

/** Reads and validates the search parameters; every bad value is a 400 saying which and why. */
export function parseSearchParams(req: Request): Omit<FileSearch, 'mission' | 'principal'> {
  const q = req.query as Record<string, unknown>;
  const text = (key: string): string | undefined => {
    const value = q[key];
    if (value === undefined) return undefined;
    if (typeof value !== 'string') throw new HttpRequestError('invalid-request', `${key} must be given once (use a comma list for several values)`);
    return value;
  };
  const filters: FileSearch['filters'] = {};
  for (const [param, column] of Object.entries(PARAMS)) {
    const value = text(param);
    if (value === undefined) continue;
    const values = value.split(',').map((s) => s.trim()).filter(Boolean);
    if (values.length > MAX_PAGE) throw new HttpRequestError('invalid-request', `${param} lists more than ${MAX_PAGE} values`);
    filters[column] = column === 'name' || column === 'version_label' || column === 'product' ? values : values.map((v) => v.toLowerCase());
  }
  const limitText = text('limit') ?? '100';
  const limit = Number(limitText);
  if (!/^\d+$/.test(limitText) || limit < 1 || limit > MAX_PAGE) throw new HttpRequestError('invalid-request', `limit must be an integer from 1 to ${MAX_PAGE}, got '${limitText}'`);
  const versions = text('versions') ?? 'latest';
  if (versions !== 'latest' && versions !== 'all') throw new HttpRequestError('invalid-request', `versions must be 'latest' or 'all', got '${versions}'`);
  const order = text('order') ?? 'asc';
  if (order !== 'asc' && order !== 'desc') throw new HttpRequestError('invalid-request', `order must be 'asc' or 'desc', got '${order}'`);
  const cursor = text('cursor');
  return {
    filters,
    time: { mode: 'overlap', from: parseTime(text('from'), 'from'), to: parseTime(text('to'), 'to') },
    latestOnly: versions === 'latest',
    release: text('release'),
    order: order === 'asc' ? 'start-asc' : 'start-desc',
    after: cursor === undefined ? undefined : decodeCursor(cursor),
    limit,
  };
}

/** An ISO 8601 date or time (UTC when no zone is given). */
export function parseTime(value: string | undefined, name: string): Date | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(value)) throw new HttpRequestError('invalid-request', `${name} must be an ISO 8601 date or time such as 2015-10-16 or 2015-10-16T12:00:00Z, got '${value}'`);
  const date = new Date(/[T ]\d{2}:\d{2}/.test(value) && !/(Z|[+-]\d{2}:?\d{2})$/.test(value) ? `${value.replace(' ', 'T')}Z` : value);
  if (Number.isNaN(date.getTime())) throw new HttpRequestError('invalid-request', `${name} '${value}' is not a valid date`);
  return date;
}
