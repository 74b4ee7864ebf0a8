import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { CatalogSchema, SitlEventsTable } from '../catalog/catalog-schema.js';
import type { MissionEvent } from './sitl-types.js';

type Db = Kysely<CatalogSchema> | Transaction<CatalogSchema>;

/** The mission events of the operations centre's event feed (rows of sitl_events). */
export function eventFromRow(row: Selectable<SitlEventsTable>): MissionEvent {
  return {
    id: row.id, eventType: row.event_type, spacecraft: row.spacecraft, source: row.source, start: row.start_time, end: row.end_time,
    description: row.description, discussion: row.discussion, startOrbit: row.start_orbit, endOrbit: row.end_orbit, tag: row.tag,
  };
}

/** Inserts or replaces events by id (the operations centre's feed is the reference for its events). */
export async function upsertEvents(trx: Transaction<CatalogSchema>, mission: string, events: readonly MissionEvent[]): Promise<void> {
  for (let i = 0; i < events.length; i += 500) {
    const rows = events.slice(i, i + 500).map((e) => ({
      mission, id: e.id, event_type: e.eventType, spacecraft: e.spacecraft, source: e.source, start_time: e.start, end_time: e.end,
      description: e.description, discussion: e.discussion, start_orbit: e.startOrbit, end_orbit: e.endOrbit, tag: e.tag,
    }));
    await trx
      .insertInto('sitl_events')
      .values(rows)
      .onConflict((oc) =>
        oc.columns(['mission', 'id']).doUpdateSet((eb) => ({
          event_type: eb.ref('excluded.event_type'), spacecraft: eb.ref('excluded.spacecraft'), source: eb.ref('excluded.source'),
          start_time: eb.ref('excluded.start_time'), end_time: eb.ref('excluded.end_time'), description: eb.ref('excluded.description'),
          discussion: eb.ref('excluded.discussion'), start_orbit: eb.ref('excluded.start_orbit'), end_orbit: eb.ref('excluded.end_orbit'),
          tag: eb.ref('excluded.tag'), updated_at: sql`now()`,
        })),
      )
      .execute();
  }
}

/** Events of one type whose [start, end] meets [from, to] (both ends inclusive), in start order. */
export async function eventsMeeting(db: Db, mission: string, eventType: string, from: Date, to: Date): Promise<MissionEvent[]> {
  const rows = await db
    .selectFrom('sitl_events')
    .selectAll()
    .where('mission', '=', mission)
    .where('event_type', '=', eventType)
    .where('start_time', '<=', to)
    .where('end_time', '>=', from)
    .orderBy('start_time')
    .orderBy('id')
    .execute();
  return rows.map(eventFromRow);
}
