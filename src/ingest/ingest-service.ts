import { randomUUID } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import pLimit from 'p-limit';
import type { CatalogSchema, FileRow, NewFileRow } from '../catalog/catalog-schema.js';
import { handOver, relayAfter, transactionPublishingEvents, type CommittedEventPublisher, type OutboxRow } from '../catalog/outbox.js';
import { lockNames } from '../catalog/advisory-lock.js';
import { findFilesByName } from '../catalog/file-catalog.js';
import { SdcError } from '../errors/sdc-error.js';
import { fileIngestedBody, fileIngestedRoutingKey, FILE_INGESTED, type AnnouncedFile } from '../events/event-types.js';
import type { Logger } from '../logging/logger.js';
import type { ParsedFileName } from '../mission/file-name-grammar.js';
import type { Mission } from '../mission/load-mission.js';
import type { FileStore } from '../store/file-store.js';
import { hashFile } from './hash-file.js';
import { IngestRejection } from './ingest-rejection.js';
import type { Quarantine } from './quarantine.js';

/** A file offered to the SDC. */
export interface Arrival {
  /** Local path of the bytes (a dropped file, an upload's temporary file, a processor output). */
  path: string;
  /** The file's name, which must follow the mission's grammar. */
  name: string;
  source: 'drop' | 'upload' | 'job';
  /** Leave the source file where it is (a quarantined copy is made instead of moving it). */
  keepSource?: boolean;
  /** What the sender declared (an upload's Content-Length and checksum); checked when given. */
  expected?: { size?: number | undefined; sha256?: string | undefined };
}

/** Where a catalogued file belongs. */
export interface RecordOptions {
  tier: 'production' | 'staging';
  jobId?: number | null;
  /** The caller gives the arrivals' files up (a job's outputs in its scratch folder): the store may move them in rather than copy them. */
  giveSources?: boolean;
}

/** An arrival that passed the checks that need no catalog: name, size, checksum, content. */
export interface PreparedArrival {
  arrival: Arrival;
  parsed: ParsedFileName;
  size: number;
  sha256: string;
  metadata: Record<string, unknown>;
  start: Date;
  end: Date;
}

export type IngestOutcome =
  | { status: 'ingested'; file: FileRow }
  | { status: 'duplicate'; file: FileRow }
  | { status: 'quarantined'; code: string; reason: string; quarantineId: number };

/**
 * Reads a file's content for the catalog (e.g. CDF global attributes and time range). Throws
 * IngestRejection when the content is unusable (a corrupt CDF).
 */
export type ArrivalInspector = (path: string, parsed: ParsedFileName) => Promise<{ metadata: Record<string, unknown>; start?: Date; end?: Date } | undefined>;

export interface IngestDependencies {
  db: Kysely<CatalogSchema>;
  store: FileStore;
  mission: Mission;
  quarantine: Quarantine;
  logger: Logger;
  inspect?: ArrivalInspector;
  /** Publishes the events of a commit right after it (the outbox relay); without it they wait for a relay pass. */
  events?: CommittedEventPublisher;
}

/** What recording one prepared arrival gave: a new or already-present row, or a refusal. */
export type RecordResult = { status: 'ingested' | 'duplicate'; file: FileRow } | { status: 'rejected'; rejection: IngestRejection };

/** Store copies made at once inside one catalog transaction, and arrivals checked at once. */
const PUT_CONCURRENCY = 16;
const PREPARE_CONCURRENCY = 16;

/**
 * Ingest: checks arrivals (name against the mission grammar, declared size and sha256,
 * content), copies them atomically into the store, records them in the catalog and queues their
 * `file.ingested` events in the same transaction. A duplicate (same name and hash) is a no-op;
 * anything refused goes to quarantine with its reason. Arrivals are taken in batches: one
 * transaction (locks, one query for what exists, one insert of rows and one of events) for many
 * files, which is what makes thousands of small files a minute cheap.
 */
export class IngestService {
  constructor(private readonly deps: IngestDependencies) {}

  /** One arrival in its own transaction; never throws for bad input. */
  async ingest(arrival: Arrival, options: RecordOptions = { tier: 'production' }): Promise<IngestOutcome> {
    const [outcome] = await this.ingestMany([arrival], options);
    return outcome!;
  }

  /**
   * Many arrivals, outcomes in the same order. Bad input is quarantined, never thrown; an
   * unavailable catalog or store throws and leaves every arrival where it was.
   */
  async ingestMany(arrivals: readonly Arrival[], options: RecordOptions = { tier: 'production' }): Promise<IngestOutcome[]> {
    const limit = pLimit(PREPARE_CONCURRENCY);
    const prepared = await Promise.all(arrivals.map((a) => limit(() => this.prepare(a).catch((e: unknown) => rejectionOrThrow(e)))));
    const outcomes: IngestOutcome[] = new Array(arrivals.length);
    const rejections = new Map<number, IngestRejection>();
    prepared.forEach((item, index) => item instanceof IngestRejection && rejections.set(index, item));
    // Two arrivals of one name in a batch are recorded one after the other.
    for (const round of rounds(prepared)) {
      const items = round.map((index) => prepared[index] as PreparedArrival);
      const results = await transactionPublishingEvents(this.deps.db, this.deps.events, (trx) => this.recordMany(trx, items, options));
      round.forEach((index, j) => {
        const result = results[j]!;
        if (result.status === 'rejected') rejections.set(index, result.rejection);
        else outcomes[index] = this.logged(arrivals[index]!, result);
      });
    }
    for (const [index, rejection] of rejections) outcomes[index] = await this.quarantine(arrivals[index]!, rejection);
    return outcomes;
  }

  /** Checks what needs no catalog; throws IngestRejection. */
  async prepare(arrival: Arrival): Promise<PreparedArrival> {
    let parsed: ParsedFileName;
    try {
      parsed = this.deps.mission.grammar.parse(arrival.name);
    } catch (error) {
      if (error instanceof SdcError) throw new IngestRejection(error.code, error.message, arrival.name);
      throw error;
    }
    const { size, sha256 } = await hashFile(arrival.path);
    const expected = arrival.expected ?? {};
    if (expected.size !== undefined && expected.size !== size) {
      throw new IngestRejection('size-mismatch', `'${arrival.name}' has ${size} bytes but ${expected.size} were declared (truncated transfer?)`, arrival.name, { size, sha256 });
    }
    if (expected.sha256 !== undefined && expected.sha256.toLowerCase() !== sha256) {
      throw new IngestRejection('checksum-mismatch', `'${arrival.name}' has sha256 ${sha256} but ${expected.sha256} was declared`, arrival.name, { size, sha256 });
    }
    const inspected = await this.deps.inspect?.(arrival.path, parsed);
    return { arrival, parsed, size, sha256, metadata: inspected?.metadata ?? {}, start: inspected?.start ?? parsed.start, end: inspected?.end ?? parsed.end };
  }

  /**
   * Catalogues prepared arrivals of distinct names inside the caller's transaction (a job's
   * outputs commit with the job's state): locks the names, finds what exists in one query,
   * refuses conflicting duplicates, copies the new files into the store, inserts their rows and
   * events. Results are in the order of `items`.
   */
  async recordMany(trx: Transaction<CatalogSchema>, items: readonly PreparedArrival[], options: RecordOptions): Promise<RecordResult[]> {
    const mission = this.deps.mission.config.id;
    const names = items.map((p) => p.parsed.fileName);
    await lockNames(trx, names.map((name) => `file/${mission}/${options.tier}/${name}`));
    const existing = new Map((await findFilesByName(trx, mission, names, options.tier)).map((f) => [f.name, f]));
    const results: (RecordResult | undefined)[] = items.map((item) => {
      const found = existing.get(item.parsed.fileName);
      if (!found) return undefined;
      if (found.sha256 === item.sha256) return { status: 'duplicate', file: found };
      const message = `'${item.parsed.fileName}' is already catalogued with sha256 ${found.sha256}; this copy has ${item.sha256} (a new version needs a new version number)`;
      return { status: 'rejected', rejection: new IngestRejection('conflicting-duplicate', message, item.parsed.fileName, { size: item.size, sha256: item.sha256, existingFileId: found.id }) };
    });
    const fresh = items.map((item, i) => ({ item, i })).filter(({ i }) => results[i] === undefined);
    if (fresh.length === 0) return results as RecordResult[];
    const limit = pLimit(PUT_CONCURRENCY);
    const rows = fresh.map(({ item }) => newFileRow(mission, item, options));
    const { store } = this.deps;
    const put = options.giveSources && store.moveIn ? store.moveIn.bind(store) : store.putFile.bind(store);
    await Promise.all(fresh.map(({ item }, j) => limit(() => put(rows[j]!.store_key, item.arrival.path, { size: item.size, sha256: item.sha256 }))));
    const inserted = await insertAnnounced(trx, rows);
    const byName = new Map(inserted.map((f) => [f.name, f]));
    for (const { item, i } of fresh) results[i] = { status: 'ingested', file: byName.get(item.parsed.fileName)! };
    return results as RecordResult[];
  }

  private logged(arrival: Arrival, result: { status: 'ingested' | 'duplicate'; file: FileRow }): IngestOutcome {
    const message = result.status === 'ingested' ? 'file ingested' : 'duplicate arrival ignored';
    this.deps.logger.info(message, { fileName: arrival.name, source: arrival.source, fileId: result.file.id, sha256: result.file.sha256 });
    return result;
  }

  private async quarantine(arrival: Arrival, error: IngestRejection): Promise<IngestOutcome> {
    const entry = { name: arrival.name, code: error.code, reason: error.message, source: arrival.source, size: error.details.size as number | undefined, sha256: error.details.sha256 as string | undefined };
    const { id } = await this.deps.quarantine.add(arrival.path, entry, arrival.keepSource ? 'copy' : 'move');
    this.deps.logger.warn('arrival quarantined', { fileName: arrival.name, source: arrival.source, code: error.code, reason: error.message, quarantineId: id });
    return { status: 'quarantined', code: error.code, reason: error.message, quarantineId: id };
  }
}

function rejectionOrThrow(error: unknown): IngestRejection {
  if (error instanceof IngestRejection) return error;
  throw error;
}

/** Indexes of the prepared arrivals split into rounds in which every name appears once. */
function rounds(prepared: readonly (PreparedArrival | IngestRejection)[]): number[][] {
  const out: number[][] = [];
  const seen = new Map<string, number>();
  prepared.forEach((item, index) => {
    if (item instanceof IngestRejection) return;
    const round = seen.get(item.parsed.fileName) ?? 0;
    seen.set(item.parsed.fileName, round + 1);
    (out[round] ??= []).push(index);
  });
  return out;
}

/**
 * Inserts file rows and their `file.ingested` events in one statement: the events are a
 * data-modifying CTE joined to the inserted rows by name (unique in one call), each body
 * completed with its row's id. The events, as inserted, go to the transaction's owner.
 */
async function insertAnnounced(trx: Transaction<CatalogSchema>, rows: readonly (NewFileRow & AnnouncedFile)[]): Promise<FileRow[]> {
  const events = rows.map((row) => ({ name: row.name, message_id: randomUUID(), routing_key: fileIngestedRoutingKey(row), body: fileIngestedBody(row) }));
  const { rows: inserted } = await sql<FileRow & { event: OutboxRow }>`with f as (${trx.insertInto('files').values([...rows]).returningAll()}),
    e as (insert into outbox (message_id, type, routing_key, body, relay_after)
      select m.message_id, ${FILE_INGESTED}, m.routing_key, m.body || jsonb_build_object('fileId', f.id), ${relayAfter(trx)}
      from f join jsonb_to_recordset(${JSON.stringify(events)}::jsonb) as m(name text, message_id uuid, routing_key text, body jsonb) on m.name = f.name
      returning *)
    select f.*, to_jsonb(e) as event from f join e on (e.body ->> 'fileId')::bigint = f.id`.execute(trx);
  handOver(trx, inserted.map((row) => row.event));
  return inserted.map(({ event: _event, ...file }) => file);
}

function newFileRow(mission: string, prepared: PreparedArrival, options: RecordOptions): NewFileRow & AnnouncedFile {
  const { parsed } = prepared;
  return {
    mission,
    name: parsed.fileName,
    kind: parsed.kind,
    product: parsed.product,
    stem: parsed.stem,
    spacecraft: parsed.spacecraft ?? null,
    instrument: parsed.instrument ?? null,
    mode: parsed.mode ?? null,
    level: parsed.level ?? null,
    descriptor: parsed.descriptor ?? null,
    data_type: parsed.dataType ?? null,
    start_time: prepared.start,
    end_time: prepared.end,
    version: parsed.version,
    version_label: parsed.versionLabel,
    size: prepared.size,
    sha256: prepared.sha256,
    store_key: options.tier === 'staging' ? `staging/${parsed.storeKey}` : parsed.storeKey,
    tier: options.tier,
    source: prepared.arrival.source,
    job_id: options.jobId ?? null,
    metadata: JSON.stringify(prepared.metadata),
  };
}
