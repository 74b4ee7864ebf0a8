import type { Kysely } from 'kysely';
import type { CatalogSchema } from '../../catalog/catalog-schema.js';
import { segmentFromRow } from '../../sitl/segment-table.js';
import type { BurstSegment } from '../../sitl/sitl-types.js';
import { formatTableTime } from '../../sitl/tai-seconds.js';
import { compare, latisCsv, parseLatisNumber, parseLatisTime, type LatisQuery, type LatisSelection } from './latis-query.js';

type ColumnType = 'int' | 'float' | 'bool' | 'text' | 'time';

interface SegmentColumn {
  name: string;
  type: ColumnType;
  /** The sitl_segments column a selection is pushed down to (else filtered after the query). */
  sql?: 'id' | 'tai_start' | 'tai_end' | 'parameter_set_id' | 'fom' | 'is_pending' | 'in_playlist' | 'status' | 'num_eval_cycles' | 'source_id' | 'create_time' | 'finish_time';
  value(s: BurstSegment): number | string | Date | null;
}

const perObservatory = (field: 'numBufs' | 'allocBufs' | 'remFiles', label: string): SegmentColumn[] =>
  [0, 1, 2, 3].map((i) => ({ name: `OBS${i + 1}${label}`, type: 'int', value: (s) => s[field][i] ?? 0 }));

/**
 * The burst data segment table as the legacy CSV service has it: 25 columns in this order,
 * DISCUSSION last (it may hold commas; clients join the trailing fields).
 */
export const SEGMENT_COLUMNS: readonly SegmentColumn[] = [
  { name: 'DATASEGMENTID', type: 'int', sql: 'id', value: (s) => s.id },
  { name: 'TAISTARTTIME', type: 'int', sql: 'tai_start', value: (s) => s.taiStart },
  { name: 'TAIENDTIME', type: 'int', sql: 'tai_end', value: (s) => s.taiEnd },
  { name: 'PARAMETERSETID', type: 'text', sql: 'parameter_set_id', value: (s) => s.parameterSetId },
  { name: 'FOM', type: 'float', sql: 'fom', value: (s) => s.fom },
  { name: 'ISPENDING', type: 'bool', sql: 'is_pending', value: (s) => (s.isPending ? 1 : 0) },
  { name: 'INPLAYLIST', type: 'bool', sql: 'in_playlist', value: (s) => (s.inPlaylist ? 1 : 0) },
  { name: 'STATUS', type: 'text', sql: 'status', value: (s) => s.status },
  { name: 'NUMEVALCYCLES', type: 'int', sql: 'num_eval_cycles', value: (s) => s.numEvalCycles },
  { name: 'SOURCEID', type: 'text', sql: 'source_id', value: (s) => s.sourceId },
  { name: 'CREATETIME', type: 'time', sql: 'create_time', value: (s) => s.createTime },
  { name: 'FINISHTIME', type: 'time', sql: 'finish_time', value: (s) => s.finishTime },
  ...perObservatory('numBufs', 'NUMBUFS'),
  ...perObservatory('allocBufs', 'ALLOCBUFS'),
  ...perObservatory('remFiles', 'REMFILES'),
  { name: 'DISCUSSION', type: 'text', value: (s) => s.discussion },
];

export const SEGMENT_COLUMN_NAMES = SEGMENT_COLUMNS.map((c) => c.name);
const BY_NAME = new Map(SEGMENT_COLUMNS.map((c) => [c.name, c]));

/** The segment table CSV for a query (overlap queries, flags, ids, finish times...). */
export async function segmentTableCsv(db: Kysely<CatalogSchema>, mission: string, query: LatisQuery): Promise<string> {
  let sqlQuery = db.selectFrom('sitl_segments').selectAll().where('mission', '=', mission);
  const afterwards: LatisSelection[] = [];
  for (const s of query.selections) {
    const column = BY_NAME.get(s.column)!;
    if (!column.sql) {
      afterwards.push(s);
      continue;
    }
    sqlQuery = sqlQuery.where(column.sql, s.op, literal(column, s.value) as never);
  }
  const rows = (await sqlQuery.orderBy('tai_start').orderBy('id').execute()).map(segmentFromRow);
  const kept = rows.filter((row) => afterwards.every((s) => matches(BY_NAME.get(s.column)!, row, s)));
  const columns = (query.projection ?? SEGMENT_COLUMN_NAMES).map((n) => BY_NAME.get(n)!);
  return latisCsv(columns.map((c) => c.name), kept.map((row) => columns.map((c) => render(c, c.value(row)))));
}

function literal(column: SegmentColumn, text: string): number | string | boolean | Date {
  switch (column.type) {
    case 'int':
    case 'float':
      return parseLatisNumber(text, column.name);
    case 'bool':
      return parseLatisNumber(text, column.name) !== 0;
    case 'time':
      return parseLatisTime(text, column.name);
    case 'text':
      return text;
  }
}

function matches(column: SegmentColumn, row: BurstSegment, s: LatisSelection): boolean {
  const value = column.value(row);
  if (value === null) return false;
  if (column.type === 'text') return compare(String(value), s.op, s.value);
  return compare(Number(value instanceof Date ? value.getTime() : value), s.op, parseLatisNumber(s.value, column.name));
}

function render(column: SegmentColumn, value: number | string | Date | null): string {
  if (value === null) return '';
  if (value instanceof Date) return formatTableTime(value);
  if (column.type === 'float' && typeof value === 'number') return Number.isInteger(value) ? value.toFixed(1) : String(value);
  if (column.name === 'DISCUSSION') return String(value).replace(/[\r\n]+/g, ' ');
  return String(value);
}

export const METADATA_COLUMNS = ['TAITIMESTAMP', 'DATASEGMENTID', 'CDQ', 'MDQ'] as const;
const METADATA_SQL = { TAITIMESTAMP: 'tai', DATASEGMENTID: 'data_segment_id', CDQ: 'cdq', MDQ: 'mdq' } as const;

/** One spacecraft's burst metadata CSV (`TAITIMESTAMP,DATASEGMENTID,CDQ,MDQ`). */
export async function metadataCsv(db: Kysely<CatalogSchema>, mission: string, spacecraft: string, query: LatisQuery): Promise<string> {
  let sqlQuery = db.selectFrom('sitl_burst_metadata').select(['tai', 'data_segment_id', 'cdq', 'mdq']).where('mission', '=', mission).where('spacecraft', '=', spacecraft);
  for (const s of query.selections) sqlQuery = sqlQuery.where(METADATA_SQL[s.column as keyof typeof METADATA_SQL], s.op, parseLatisNumber(s.value, s.column));
  const rows = await sqlQuery.orderBy('tai').execute();
  const columns = (query.projection ?? [...METADATA_COLUMNS]) as (keyof typeof METADATA_SQL)[];
  return latisCsv(columns, rows.map((r) => columns.map((c) => String(r[METADATA_SQL[c]] ?? ''))));
}
