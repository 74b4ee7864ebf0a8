import type { Kysely } from 'kysely';
import type { CatalogSchema, FileRow } from '../catalog/catalog-schema.js';
import { searchFiles } from '../catalog/file-catalog.js';
import { matchesFields } from '../jobs/field-match.js';
import type { FieldMatch } from '../mission/mission-schema.js';

const list = (value: string | string[] | undefined) => (value === undefined ? undefined : Array.isArray(value) ? value : [value]);

/**
 * The newest version of each production file matching `match` (field values, a list meaning any
 * of, as in the processing rules) whose time range meets [from, to), in start order.
 */
export async function filesMeeting(db: Kysely<CatalogSchema>, mission: string, match: FieldMatch, from: Date, to: Date): Promise<FileRow[]> {
  const rows = await searchFiles(db, {
    mission, tier: 'production', from, to, latestOnly: true,
    spacecraft: list(match.spacecraft), instrument: list(match.instrument), mode: list(match.mode), level: list(match.level), descriptor: list(match.descriptor),
  });
  return rows.filter((r) => matchesFields({ kind: r.kind, product: r.product, spacecraft: r.spacecraft, instrument: r.instrument, mode: r.mode, level: r.level, descriptor: r.descriptor, dataType: r.data_type }, match));
}
