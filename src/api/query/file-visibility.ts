import type { Expression, ExpressionBuilder, SqlBool } from 'kysely';
import type { CatalogSchema } from '../../catalog/catalog-schema.js';
import { readableInstruments, type Principal } from '../access/principal.js';

/**
 * The SQL condition of the files a principal may see: released files for everyone; for a team
 * member also the unreleased files of its instruments and files of no instrument (ancillary).
 * Applied inside every query, before "latest version" is chosen, so the public's latest is the
 * latest released version.
 */
export function visibleTo(principal: Principal) {
  return (eb: ExpressionBuilder<CatalogSchema, 'files'>): Expression<SqlBool> => {
    const scope = readableInstruments(principal);
    if (scope === 'all') return eb.lit(true);
    const released = eb('files.released_at', 'is not', null);
    if (principal.kind === 'anonymous') return released;
    const own = [released, eb('files.instrument', 'is', null)];
    if (scope.length > 0) own.push(eb('files.instrument', 'in', scope));
    return eb.or(own);
  };
}
