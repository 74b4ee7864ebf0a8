/**
 * The registry of events on the bus: one name, one payload type, one routing-key builder each.
 * Routing keys start with the event name, then the fields consumers bind on.
 */
import type { FileRow } from '../catalog/catalog-schema.js';

export const FILE_INGESTED = 'file.ingested';
export const JOB_REQUESTED = 'job.requested';

/** A file was catalogued (an arrival, an upload or a processor output). */
export interface FileIngestedEvent {
  fileId: number;
  mission: string;
  name: string;
  kind: string;
  product: string;
  spacecraft: string | null;
  instrument: string | null;
  mode: string | null;
  level: string | null;
  descriptor: string | null;
  dataType: string | null;
  start: string;
  end: string;
  version: number[];
  size: number;
  sha256: string;
  storeKey: string;
  tier: 'production' | 'staging';
  source: string;
  jobId: number | null;
}

/** A job was queued and waits for a worker of its tier and instrument. */
export interface JobRequestedEvent {
  jobId: number;
  mission: string;
  /** The instrument of the processor (its manifest's `instrument`), which picks the queue. */
  instrument: string;
  processor: string;
  processorVersion: string;
  tier: 'production' | 'staging';
}

/** `file.ingested.<mission>.<tier>.<kind>.<spacecraft>.<instrument>.<level>`; `_` for a field the file lacks. */
export function fileIngestedRoutingKey(file: Pick<FileRow, 'mission' | 'tier' | 'kind' | 'spacecraft' | 'instrument' | 'level'>): string {
  return [FILE_INGESTED, ...[file.mission, file.tier, file.kind, file.spacecraft, file.instrument, file.level].map(word)].join('.');
}

/**
 * `job.requested.<mission>.<instrument>.<tier>.<processor>`. The instrument comes before the tier
 * so that the bindings of the former per-tier queues (`job.requested.<mission>.<tier>.#`) match
 * no new message: those queues only drain (see `legacyJobQueue`).
 */
export function jobRequestedRoutingKey(event: Pick<JobRequestedEvent, 'mission' | 'instrument' | 'tier' | 'processor'>): string {
  return [JOB_REQUESTED, ...[event.mission, event.instrument, event.tier, event.processor].map(word)].join('.');
}

/** The binding that takes every `job.requested` of one mission, instrument and tier. */
export function jobRequestedPattern(mission: string, instrument: string, tier: string): string {
  return [JOB_REQUESTED, ...[mission, instrument, tier].map(word), '#'].join('.');
}

/** The columns of a file row its `file.ingested` event carries, besides its id. */
export type AnnouncedFile = Pick<FileRow, 'mission' | 'name' | 'kind' | 'product' | 'spacecraft' | 'instrument' | 'mode' | 'level' | 'descriptor' | 'data_type' | 'start_time' | 'end_time' | 'version' | 'size' | 'sha256' | 'store_key' | 'tier' | 'source' | 'job_id'>;

export function fileIngestedEvent(file: AnnouncedFile & Pick<FileRow, 'id'>): FileIngestedEvent {
  return { fileId: file.id, ...fileIngestedBody(file) };
}

/** The event of a file not inserted yet: all but its id. */
export function fileIngestedBody(file: AnnouncedFile): Omit<FileIngestedEvent, 'fileId'> {
  return {
    mission: file.mission,
    name: file.name,
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
    version: file.version,
    size: file.size,
    sha256: file.sha256,
    storeKey: file.store_key,
    tier: file.tier,
    source: file.source,
    jobId: file.job_id,
  };
}

function word(value: string | null | undefined): string {
  return value ? value.replace(/[.#*]/g, '_') : '_';
}
