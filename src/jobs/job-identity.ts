import { createHash } from 'node:crypto';
import type { JobInput } from '../catalog/catalog-schema.js';

/**
 * The hash of a job's exact inputs (names and checksums, order-free). With the processor
 * version and tier it identifies the job: the catalog refuses a second live or successful job
 * with the same identity.
 */
export function inputsHash(inputs: readonly JobInput[]): string {
  const lines = inputs.map((i) => `${i.name}\t${i.sha256}`).sort();
  return createHash('sha256').update(lines.join('\n')).digest('hex');
}
