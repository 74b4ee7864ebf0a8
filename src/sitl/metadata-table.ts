import type { Kysely, Transaction } from 'kysely';
import type { CatalogSchema } from '../catalog/catalog-schema.js';
import type { MetadataCycle } from './sitl-types.js';

type Db = Kysely<CatalogSchema> | Transaction<CatalogSchema>;

/** Stores metadata cycles; a later feed for the same spacecraft and cycle replaces the values. */
export async function upsertMetadata(trx: Transaction<CatalogSchema>, mission: string, cycles: readonly MetadataCycle[]): Promise<void> {
  for (let i = 0; i < cycles.length; i += 1000) {
    const rows = cycles.slice(i, i + 1000).map((c) => ({ mission, spacecraft: c.spacecraft, tai: c.tai, data_segment_id: c.dataSegmentId, cdq: c.cdq, mdq: c.mdq }));
    await trx
      .insertInto('sitl_burst_metadata')
      .values(rows)
      .onConflict((oc) => oc.columns(['mission', 'spacecraft', 'tai']).doUpdateSet((eb) => ({ data_segment_id: eb.ref('excluded.data_segment_id'), cdq: eb.ref('excluded.cdq'), mdq: eb.ref('excluded.mdq') })))
      .execute();
  }
}

/** Metadata cycles in [from, to), optionally of some spacecraft, in time order. */
export async function metadataBetween(db: Db, mission: string, from: number, to: number, spacecraft?: readonly string[]): Promise<MetadataCycle[]> {
  let query = db.selectFrom('sitl_burst_metadata').selectAll().where('mission', '=', mission).where('tai', '>=', from).where('tai', '<', to);
  if (spacecraft) query = query.where('spacecraft', 'in', [...spacecraft]);
  const rows = await query.orderBy('tai').orderBy('spacecraft').execute();
  return rows.map((r) => ({ spacecraft: r.spacecraft, tai: r.tai, dataSegmentId: r.data_segment_id, cdq: r.cdq, mdq: r.mdq }));
}
