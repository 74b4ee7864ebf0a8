import type { Kysely } from 'kysely';
import type { CatalogSchema } from '../../catalog/catalog-schema.js';
import { eventFromRow } from '../../sitl/mission-events.js';
import type { MissionEvent } from '../../sitl/sitl-types.js';
import { compare, latisCsv, parseLatisNumber, parseLatisTime, type LatisQuery } from './latis-query.js';

interface EventColumn {
  name: string;
  type: 'time' | 'int' | 'text';
  /** The sitl_events column a selection is pushed down to (text columns are compared afterwards, ignoring case). */
  sql?: 'start_time' | 'end_time' | 'start_orbit' | 'end_orbit' | 'id';
  value(e: MissionEvent): Date | number | string | null;
}

/** The events view of the legacy CSV service: 11 columns in this order, names in lower case. */
export const EVENT_COLUMNS: readonly EventColumn[] = [
  { name: 'start_time_utc', type: 'time', sql: 'start_time', value: (e) => e.start },
  { name: 'end_time_utc', type: 'time', sql: 'end_time', value: (e) => e.end },
  { name: 'event_type', type: 'text', value: (e) => e.eventType },
  { name: 'sc_id', type: 'text', value: (e) => e.spacecraft },
  { name: 'source', type: 'text', value: (e) => e.source },
  { name: 'description', type: 'text', value: (e) => e.description },
  { name: 'discussion', type: 'text', value: (e) => e.discussion },
  { name: 'start_orbit', type: 'int', sql: 'start_orbit', value: (e) => e.startOrbit },
  { name: 'end_orbit', type: 'int', sql: 'end_orbit', value: (e) => e.endOrbit },
  { name: 'tag', type: 'text', value: (e) => e.tag },
  { name: 'id', type: 'int', sql: 'id', value: (e) => e.id },
];

/** The names the query parser knows (it compares in upper case). */
export const EVENT_QUERY_COLUMNS = EVENT_COLUMNS.map((c) => c.name.toUpperCase());
const BY_NAME = new Map(EVENT_COLUMNS.map((c) => [c.name.toUpperCase(), c]));

/**
 * The mission events CSV for a query, e.g. the sub-ROIs of a month as the clients ask for them:
 * `start_time_utc,end_time_utc,sc_id,start_orbit&event_type=SROI&start_time_utc>=2015-10-01T00:00:00&sc_id=sc1`.
 * Rows in start order; text values compare ignoring case (`sc_id=SC1` finds sc1); times are
 * `YYYY-MM-DDThh:mm:ss.sss` UTC; a value holding a comma or quote is quoted.
 */
export async function eventsCsv(db: Kysely<CatalogSchema>, mission: string, query: LatisQuery): Promise<string> {
  let sqlQuery = db.selectFrom('sitl_events').selectAll().where('mission', '=', mission);
  const text: { column: EventColumn; op: Parameters<typeof compare>[1]; value: string }[] = [];
  for (const s of query.selections) {
    const column = BY_NAME.get(s.column)!;
    if (!column.sql) {
      text.push({ column, op: s.op, value: s.value.toLowerCase() });
      continue;
    }
    const literal = column.type === 'time' ? parseLatisTime(s.value, column.name) : parseLatisNumber(s.value, column.name);
    sqlQuery = sqlQuery.where(column.sql, s.op, literal as never);
  }
  const rows = (await sqlQuery.orderBy('start_time').orderBy('id').execute()).map(eventFromRow);
  const kept = rows.filter((row) => text.every((s) => compare(String(s.column.value(row)).toLowerCase(), s.op, s.value)));
  const columns = (query.projection ?? EVENT_QUERY_COLUMNS).map((n) => BY_NAME.get(n)!);
  return latisCsv(columns.map((c) => c.name), kept.map((row) => columns.map((c) => render(c.value(row)))));
}

function render(value: Date | number | string | null): string {
  if (value === null) return '';
  if (value instanceof Date) return value.toISOString().slice(0, 23);
  const plain = String(value).replace(/[\r\n]+/g, ' ');
  return /[",]/.test(plain) ? `"${plain.replace(/"/g, '""')}"` : plain;
}
