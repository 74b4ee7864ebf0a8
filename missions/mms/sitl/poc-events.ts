import type { MissionEvent } from '../../../src/sitl/sitl-types.js';

/**
 * The MMS mission events file from the POC (`mms_events_<time>.csv`): the columns of the public
 * `mms_events_view.csv` (`start_time_utc,end_time_utc,event_type,sc_id,source,description,discussion,
 * start_orbit,end_orbit,tag,id`) in any order, one header line; `id`, the times and `event_type`
 * are required. Times are UTC `YYYY-MM-DDThh:mm:ss[.sss]`; a field holding commas is quoted
 * (`"a, b"`, a quote doubled). Event types as the POC, BDM and timeline name them: `SROI`,
 * `shadow`, `orbit`, `sitl_window`...
 */
export const EVENT_COLUMNS = ['start_time_utc', 'end_time_utc', 'event_type', 'sc_id', 'source', 'description', 'discussion', 'start_orbit', 'end_orbit', 'tag', 'id'] as const;
const REQUIRED = ['start_time_utc', 'end_time_utc', 'event_type', 'id'] as const;
const SPACECRAFT = /^(mms[1-4])?$/;

export function parseEvents(text: string): MissionEvent[] {
  const lines = text.split(/\r?\n/).map((t, i) => ({ line: i + 1, text: t })).filter((l) => l.text.trim() !== '');
  if (lines.length === 0) throw new Error('the file is empty (a header line is required)');
  const header = csvFields(lines[0]!.text, 1).map((h) => h.trim().toLowerCase());
  for (const name of header) if (!(EVENT_COLUMNS as readonly string[]).includes(name)) throw new Error(`line 1: unknown column '${name}' (columns: ${EVENT_COLUMNS.join(',')})`);
  for (const name of REQUIRED) if (!header.includes(name)) throw new Error(`line 1: the header lacks ${name}`);
  return lines.slice(1).map(({ line, text: row }) => {
    const fields = csvFields(row, line);
    if (fields.length !== header.length) throw new Error(`line ${line}: ${fields.length} fields, the header has ${header.length}`);
    const field = (name: (typeof EVENT_COLUMNS)[number]) => {
      const i = header.indexOf(name);
      return i < 0 ? '' : fields[i]!.trim();
    };
    const start = time(field('start_time_utc'), line, 'start_time_utc');
    const end = time(field('end_time_utc'), line, 'end_time_utc');
    if (end < start) throw new Error(`line ${line}: end_time_utc is before start_time_utc`);
    const eventType = field('event_type');
    if (!/^[A-Za-z][A-Za-z0-9_-]*$/.test(eventType)) throw new Error(`line ${line}: event_type '${eventType}' is not an event type name`);
    const spacecraft = field('sc_id').toLowerCase();
    if (!SPACECRAFT.test(spacecraft)) throw new Error(`line ${line}: unknown spacecraft '${field('sc_id')}'`);
    return {
      id: integer(field('id'), line, 'id')!, eventType, spacecraft, source: field('source'), start, end, description: field('description'), discussion: field('discussion'),
      startOrbit: integer(field('start_orbit'), line, 'start_orbit', true), endOrbit: integer(field('end_orbit'), line, 'end_orbit', true), tag: field('tag'),
    };
  });
}

/** The fields of one CSV line; a quoted field may hold commas and doubled quotes. */
function csvFields(text: string, line: number): string[] {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    if (text[i] === '"') {
      let value = '';
      i += 1;
      for (;;) {
        const quote = text.indexOf('"', i);
        if (quote < 0) throw new Error(`line ${line}: a quoted field is not closed`);
        value += text.slice(i, quote);
        i = quote + 1;
        if (text[i] !== '"') break;
        value += '"';
        i += 1;
      }
      if (i < text.length && text[i] !== ',') throw new Error(`line ${line}: text after a closing quote`);
      fields.push(value);
    } else {
      const comma = text.indexOf(',', i);
      fields.push(text.slice(i, comma < 0 ? text.length : comma));
      i = comma < 0 ? text.length : comma;
    }
    if (i >= text.length) return fields;
    i += 1;
  }
}

function integer(text: string, line: number, column: string, optional = false): number | null {
  if (text === '' && optional) return null;
  if (!/^-?\d+$/.test(text)) throw new Error(`line ${line}: ${column} '${text}' is not an integer`);
  return Number(text);
}

function time(text: string, line: number, column: string): Date {
  const m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?Z?$/.exec(text);
  const date = m ? new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!, m[7] ? Math.floor(Number(`0.${m[7]}`) * 1000) : 0)) : undefined;
  if (!date || date.toISOString().slice(0, 19) !== `${m![1]}-${m![2]}-${m![3]}T${m![4]}:${m![5]}:${m![6]}`) throw new Error(`line ${line}: ${column} '${text}' is not a time like 2015-06-12T17:20:05.000`);
  return date;
}
