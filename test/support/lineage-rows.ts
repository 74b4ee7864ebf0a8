/**
 * Catalog rows for provenance tests, inserted directly (no store, no events): files named by a
 * label (`<label>.dat`, one day, the label's sha256) and the succeeded jobs that made them.
 */
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { CatalogSchema, FileRow } from '../../src/catalog/catalog-schema.js';

const sha256 = (label: string) => createHash('sha256').update(label).digest('hex');

/** Inserts one file per label (`cal` a calibration, the rest science), made by `jobId` or dropped, its store key under `area/`. */
export async function insertLabelledFiles(db: Kysely<CatalogSchema>, area: string, labels: readonly string[], jobId: number | null): Promise<FileRow[]> {
  return db.insertInto('files').values(labels.map((label) => ({
    mission: 'mms', name: `${label}.dat`, kind: label === 'cal' ? 'calibration' : 'science', product: label, stem: label, start_time: new Date('2015-10-16'), end_time: new Date('2015-10-17'),
    version: [1, 0, 0], version_label: '1.0.0', size: 3, sha256: sha256(label), store_key: `${area}/${label}`, tier: 'production' as const, source: jobId === null ? ('drop' as const) : ('job' as const), job_id: jobId, metadata: '{}',
  }))).returningAll().execute();
}

/** Inserts the succeeded job `make-<label>` whose recorded inputs are `inputs`; returns its id. */
export async function insertSucceededJob(db: Kysely<CatalogSchema>, label: string, inputs: readonly FileRow[]): Promise<number> {
  const job = await db.insertInto('jobs').values({
    mission: 'mms', rule: `make-${label}`, processor: `make-${label}`, processor_version: '1.0.0', tier: 'production', group_key: 'g', window_start: new Date('2015-10-16'), window_end: new Date('2015-10-17'),
    inputs_hash: sha256(label), inputs: JSON.stringify(inputs.map((f) => ({ fileId: f.id, name: f.name, sha256: f.sha256 }))), state: 'succeeded',
  }).returning('id').executeTakeFirstOrThrow();
  return job.id;
}
