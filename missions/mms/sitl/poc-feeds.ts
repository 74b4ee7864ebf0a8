import type { BurstSegment, MetadataCycle, SegmentStatusUpdate } from '../../../src/sitl/sitl-types.js';

/**
 * The MMS POC/BDM feeds as they arrive in the drop folder (CSV, one header line):
 * - burst metadata `mms_burst_metadata_<start>_<end>.csv`: `SC_ID,TAITIMESTAMP,DATASEGMENTID,CDQ,MDQ`;
 * - segment table `mms_burst_data_segment_<time>.csv`: the 25 columns of the LaTiS dataset
 *   `mms_burst_data_segment` (DISCUSSION last; it may hold commas);
 * - status feed `mms_burst_segment_status_<time>.csv`: `DATASEGMENTID,STATUS` and any of
 *   `ISPENDING,INPLAYLIST,NUMEVALCYCLES,FINISHTIME` (an empty FINISHTIME = still pending);
 * - ground-loop selections `gls_selections_<algo>_<time>.csv`: no header, `start,stop,fom,discussion`
 *   with UTC times `YYYY-MM-DD hh:mm:ss`.
 */
export const SEGMENT_COLUMNS = [
  'DATASEGMENTID', 'TAISTARTTIME', 'TAIENDTIME', 'PARAMETERSETID', 'FOM', 'ISPENDING', 'INPLAYLIST', 'STATUS', 'NUMEVALCYCLES',
  'SOURCEID', 'CREATETIME', 'FINISHTIME', 'OBS1NUMBUFS', 'OBS2NUMBUFS', 'OBS3NUMBUFS', 'OBS4NUMBUFS', 'OBS1ALLOCBUFS',
  'OBS2ALLOCBUFS', 'OBS3ALLOCBUFS', 'OBS4ALLOCBUFS', 'OBS1REMFILES', 'OBS2REMFILES', 'OBS3REMFILES', 'OBS4REMFILES', 'DISCUSSION',
] as const;

const SPACECRAFT = new Set(['mms1', 'mms2', 'mms3', 'mms4']);

export function parseMetadata(text: string): MetadataCycle[] {
  const { header, rows } = table(text, true);
  const at = columns(header, ['SC_ID', 'TAITIMESTAMP', 'DATASEGMENTID', 'CDQ', 'MDQ']);
  return rows.map(({ line, fields }) => {
    const spacecraft = fields[at.SC_ID]!.toLowerCase();
    if (!SPACECRAFT.has(spacecraft)) throw new Error(`line ${line}: unknown spacecraft '${fields[at.SC_ID]}'`);
    const segment = fields[at.DATASEGMENTID]!;
    return { spacecraft, tai: integer(fields[at.TAITIMESTAMP], line, 'TAITIMESTAMP'), dataSegmentId: segment === '' ? null : integer(segment, line, 'DATASEGMENTID'), cdq: quality(fields[at.CDQ], line, 'CDQ'), mdq: quality(fields[at.MDQ], line, 'MDQ') };
  });
}

export function parseSegmentTable(text: string): BurstSegment[] {
  const { header, rows } = table(text, false);
  if (header.slice(0, SEGMENT_COLUMNS.length - 1).join(',') !== SEGMENT_COLUMNS.slice(0, -1).join(',')) throw new Error(`line 1: the header must be ${SEGMENT_COLUMNS.join(',')}`);
  return rows.map(({ line, raw, fields }) => {
    if (fields.length < SEGMENT_COLUMNS.length) throw new Error(`line ${line}: ${fields.length} fields, expected ${SEGMENT_COLUMNS.length}`);
    const f = (i: number) => fields[i]!;
    const ints = (from: number) => [0, 1, 2, 3].map((k) => integer(f(from + k) || '0', line, SEGMENT_COLUMNS[from + k]!));
    const taiStart = integer(f(1), line, 'TAISTARTTIME');
    const taiEnd = integer(f(2), line, 'TAIENDTIME');
    if (taiEnd < taiStart) throw new Error(`line ${line}: TAIENDTIME ${taiEnd} is before TAISTARTTIME ${taiStart}`);
    return {
      id: integer(f(0), line, 'DATASEGMENTID'), taiStart, taiEnd, parameterSetId: f(3), fom: number(f(4), line, 'FOM'),
      isPending: flag(f(5), line, 'ISPENDING'), inPlaylist: flag(f(6), line, 'INPLAYLIST'), status: f(7).toUpperCase(),
      numEvalCycles: integer(f(8) || '0', line, 'NUMEVALCYCLES'), sourceId: f(9), createTime: time(f(10), line, 'CREATETIME'), finishTime: time(f(11), line, 'FINISHTIME'),
      numBufs: ints(12), allocBufs: ints(16), remFiles: ints(20), discussion: raw.slice(24).join(',').trim(),
    };
  });
}

export function parseStatusFeed(text: string): SegmentStatusUpdate[] {
  const { header, rows } = table(text, true);
  const at = columns(header, ['DATASEGMENTID', 'STATUS']);
  const optional = (name: string) => header.indexOf(name);
  const [pending, playlist, evals, finish] = ['ISPENDING', 'INPLAYLIST', 'NUMEVALCYCLES', 'FINISHTIME'].map(optional) as [number, number, number, number];
  return rows.map(({ line, fields }) => {
    const status = fields[at.STATUS]!.toUpperCase();
    if (!/^[A-Z]+(\+[A-Z]+)*$/.test(status)) throw new Error(`line ${line}: STATUS '${fields[at.STATUS]}' is not a list of flags joined by '+'`);
    const update: SegmentStatusUpdate = { id: integer(fields[at.DATASEGMENTID], line, 'DATASEGMENTID'), status };
    if (pending >= 0) update.isPending = flag(fields[pending], line, 'ISPENDING');
    if (playlist >= 0) update.inPlaylist = flag(fields[playlist], line, 'INPLAYLIST');
    if (evals >= 0) update.numEvalCycles = integer(fields[evals], line, 'NUMEVALCYCLES');
    if (finish >= 0) update.finishTime = time(fields[finish] ?? '', line, 'FINISHTIME');
    return update;
  });
}

export function parseGroundLoop(text: string): { start: Date; stop: Date; fom: number; discussion: string }[] {
  return lines(text).map(({ line, text: row }) => {
    const fields = row.split(',');
    if (fields.length < 3) throw new Error(`line ${line}: expected start,stop,fom[,discussion]`);
    const start = time(fields[0]!.trim(), line, 'start');
    const stop = time(fields[1]!.trim(), line, 'stop');
    if (!start || !stop) throw new Error(`line ${line}: start and stop are required`);
    if (stop < start) throw new Error(`line ${line}: stop is before start`);
    const fom = number(fields[2]!.trim(), line, 'fom');
    if (fom < 0 || fom > 255) throw new Error(`line ${line}: fom ${fom} is outside 0-255`);
    return { start, stop, fom, discussion: fields.slice(3).join(',').trim() };
  });
}

function lines(text: string): { line: number; text: string }[] {
  return text.split(/\r?\n/).map((t, i) => ({ line: i + 1, text: t })).filter((l) => l.text.trim() !== '');
}

function table(text: string, strict: boolean): { header: string[]; rows: { line: number; raw: string[]; fields: string[] }[] } {
  const all = lines(text);
  if (all.length === 0) throw new Error('the file is empty (a header line is required)');
  const header = all[0]!.text.split(',').map((h) => h.trim().toUpperCase().replace(/\s*\(.*\)$/, ''));
  const rows = all.slice(1).map((l) => ({ line: l.line, raw: l.text.split(','), fields: l.text.split(',').map((s) => s.trim()) }));
  if (strict) for (const r of rows) if (r.fields.length !== header.length) throw new Error(`line ${r.line}: ${r.fields.length} fields, the header has ${header.length}`);
  return { header, rows };
}

function columns<T extends string>(header: string[], names: readonly T[]): Record<T, number> {
  const at = {} as Record<T, number>;
  for (const name of names) {
    const i = header.indexOf(name);
    if (i < 0) throw new Error(`line 1: the header lacks ${name} (expected ${names.join(',')})`);
    at[name] = i;
  }
  return at;
}

function integer(text: string | undefined, line: number, column: string): number {
  if (text === undefined || !/^-?\d+$/.test(text)) throw new Error(`line ${line}: ${column} '${text ?? ''}' is not an integer`);
  return Number(text);
}

function number(text: string | undefined, line: number, column: string): number {
  const value = Number(text);
  if (text === undefined || text === '' || !Number.isFinite(value)) throw new Error(`line ${line}: ${column} '${text ?? ''}' is not a number`);
  return value;
}

function quality(text: string | undefined, line: number, column: string): number {
  const value = integer(text, line, column);
  if (value < 0 || value > 255) throw new Error(`line ${line}: ${column} ${value} is outside 0-255`);
  return value;
}

function flag(text: string | undefined, line: number, column: string): boolean {
  if (text === '1') return true;
  if (text === '0' || text === '') return false;
  throw new Error(`line ${line}: ${column} '${text ?? ''}' must be 0 or 1`);
}

/** `YYYY-MM-DD hh:mm:ss` UTC, or empty (null). */
function time(text: string, line: number, column: string): Date | null {
  if (text === '') return null;
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})$/.exec(text);
  const date = m ? new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!)) : undefined;
  if (!date || date.toISOString().slice(0, 19) !== `${m![1]}-${m![2]}-${m![3]}T${m![4]}:${m![5]}:${m![6]}`) throw new Error(`line ${line}: ${column} '${text}' is not a time like 2015-06-12 17:20:05`);
  return date;
}
