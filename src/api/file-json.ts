import type { FileRow } from '../catalog/catalog-schema.js';

/** The public JSON shape of a catalogued file. */
export function fileJson(file: FileRow) {
  return {
    id: file.id,
    name: file.name,
    mission: file.mission,
    kind: file.kind,
    product: file.product,
    spacecraft: file.spacecraft,
    instrument: file.instrument,
    mode: file.mode,
    level: file.level,
    descriptor: file.descriptor,
    dataType: file.data_type,
    start: file.start_time.toISOString(),
    end: file.end_time.toISOString(),
    version: file.version_label,
    size: Number(file.size),
    sha256: file.sha256,
    tier: file.tier,
    source: file.source,
    jobId: file.job_id,
    ingestedAt: new Date(file.ingested_at).toISOString(),
    releasedAt: file.released_at ? new Date(file.released_at).toISOString() : null,
    metadata: file.metadata,
  };
}
