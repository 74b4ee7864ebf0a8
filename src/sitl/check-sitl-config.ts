import { DateTime } from 'luxon';
import { SdcError } from '../errors/sdc-error.js';
import type { Mission } from '../mission/load-mission.js';
import type { SitlConfig } from './sitl-config.js';

/**
 * Checks what the schema alone cannot: the feeds name file kinds of the mission, and the names
 * of published files parse with the mission's grammar (else ingest would refuse them). Throws
 * `invalid-mission` listing every problem.
 */
export function checkSitlConfig(mission: Mission, sitl: SitlConfig): void {
  const kinds = new Set(mission.config.fileKinds.map((k) => k.id));
  const problems: string[] = [];
  for (const [feed, kind] of Object.entries(sitl.feeds)) {
    if (kind !== undefined && !kinds.has(kind)) problems.push(`sitl.feeds.${feed}: no file kind '${kind}' (kinds: ${[...kinds].join(', ')})`);
  }
  const sample = DateTime.fromISO('2015-06-12T17:20:05Z', { zone: 'utc' });
  for (const [what, format] of Object.entries(sitl.publish)) {
    const name = sample.toFormat(format);
    if (!mission.grammar.isValid(name)) problems.push(`sitl.publish.${what}: '${name}' (from '${format}') matches no file kind`);
  }
  if (problems.length > 0) throw new SdcError('invalid-mission', `the sitl section of mission ${mission.config.id} is inconsistent: ${problems.join('; ')}`);
}
