import type { Transaction } from 'kysely';
import { DateTime } from 'luxon';
import type { CatalogSchema } from '../catalog/catalog-schema.js';

/**
 * The name of a file published at `at` (a Luxon format of the UTC time, literals quoted), moved
 * on by whole seconds while an earlier publication holds it: names carry seconds, and two
 * submissions may fall in one second.
 */
export async function publicationName(trx: Transaction<CatalogSchema>, mission: string, format: string, at: Date): Promise<{ name: string; at: Date }> {
  let time = DateTime.fromMillis(Math.floor(at.getTime() / 1000) * 1000, { zone: 'utc' });
  for (;;) {
    const name = time.toFormat(format);
    const taken = await trx.selectFrom('sitl_deliveries').select('id').where('mission', '=', mission).where('target', '=', 'publish').where('name', '=', name).executeTakeFirst();
    if (!taken) return { name, at: time.toJSDate() };
    time = time.plus({ seconds: 1 });
  }
}
