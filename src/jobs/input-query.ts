import type { Kysely, Transaction } from 'kysely';
import type { CatalogSchema } from '../catalog/catalog-schema.js';
import { searchFileSummaries, type FileSummary } from '../catalog/file-catalog.js';
import type { FieldMatch } from '../mission/mission-schema.js';
import { matchesFields } from './field-match.js';

type Db = Kysely<CatalogSchema> | Transaction<CatalogSchema>;

/**
 * The newest version of every production file matching `match` whose time range overlaps
 * [from, to) (either bound may be open), without their metadata (a trigger reads a day's files
 * of a product per arrival, and none of their content). The catalog query narrows by the
 * indexed fields; the rest of the match is applied to the rows.
 */
export async function findMatchingFiles(db: Db, mission: string, match: FieldMatch, range: { from?: Date | undefined; to?: Date | undefined }): Promise<FileSummary[]> {
  const list = (v: string | string[] | undefined) => (v === undefined ? undefined : Array.isArray(v) ? v : [v]);
  const candidates = await searchFileSummaries(db, {
    mission,
    tier: 'production',
    kind: typeof match.kind === 'string' ? match.kind : undefined,
    product: typeof match.product === 'string' ? match.product : undefined,
    spacecraft: list(match.spacecraft),
    instrument: list(match.instrument),
    mode: list(match.mode),
    level: list(match.level),
    descriptor: list(match.descriptor),
    from: range.from,
    to: range.to,
    latestOnly: true,
  });
  return candidates.filter((f) => matchesFields({ ...f, dataType: f.data_type }, match));
}

/** Start of the UTC day holding `time`. */
export function dayStart(time: Date): Date {
  return new Date(Math.floor(time.getTime() / 86_400_000) * 86_400_000);
}

export const DAY_MS = 86_400_000;
