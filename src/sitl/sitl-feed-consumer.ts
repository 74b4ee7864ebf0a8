import type { Kysely } from 'kysely';
import { PermanentFailure, type Consumer, type EventBus, type QueueDefinition } from '../bus/event-bus.js';
import type { CatalogSchema } from '../catalog/catalog-schema.js';
import { FILE_INGESTED, type FileIngestedEvent } from '../events/event-types.js';
import { handleOnce } from '../events/handle-once.js';
import type { Logger } from '../logging/logger.js';
import type { FileStore } from '../store/file-store.js';
import { evaluateWindow } from './abs-evaluation.js';
import { upsertMetadata } from './metadata-table.js';
import { upsertEvents } from './mission-events.js';
import { applyStatusUpdates, upsertSegments } from './segment-table.js';
import type { SitlAdapter } from './sitl-adapter.js';
import type { SitlConfig } from './sitl-config.js';

/** Largest feed file read into memory. */
const MAX_FEED_BYTES = 64 * 1024 * 1024;

export function sitlFeedQueue(mission: string, config: SitlConfig): QueueDefinition {
  const kinds = [config.feeds.metadata, config.feeds.segments, config.feeds.status, config.feeds.groundLoop, config.feeds.events].filter((k): k is string => Boolean(k));
  return { name: `sdc.${mission}.sitl-feeds`, bindings: kinds.map((k) => `${FILE_INGESTED}.${mission}.production.${k}.#`), retryDelaysMs: [1_000, 10_000] };
}

export interface SitlFeedDependencies {
  db: Kysely<CatalogSchema>;
  bus: EventBus;
  store: FileStore;
  mission: string;
  config: SitlConfig;
  adapter: SitlAdapter;
  logger: Logger;
  /** Called after a commit that queued deliveries (an automated selection to publish). */
  onDeliveriesQueued: () => void;
}

/**
 * Consumes the operations centre's feeds as they are catalogued (each message once, in the
 * transaction of its effect): metadata is stored and evaluated into a window with its automated
 * selections; the segment table is upserted; the status feed moves segments' states; mission
 * events (sub-ROIs...) are upserted; ground-loop selections are checked. A file that does not parse is dead-lettered with the parser's reason.
 */
export class SitlFeedConsumer {
  private consumer: Consumer | undefined;

  constructor(private readonly deps: SitlFeedDependencies) {}

  async start(): Promise<void> {
    const queue = sitlFeedQueue(this.deps.mission, this.deps.config);
    await this.deps.bus.declareQueue(queue);
    this.consumer = await this.deps.bus.consume<FileIngestedEvent>(queue.name, (delivery) => this.handle(queue.name, delivery.id, delivery.body), { prefetch: 1 });
  }

  async stop(): Promise<void> {
    await this.consumer?.stop();
    this.consumer = undefined;
  }

  private async handle(consumer: string, messageId: string, event: FileIngestedEvent): Promise<void> {
    const { config, adapter, mission } = this.deps;
    const logger = this.deps.logger.child({ fileName: event.name, fileId: event.fileId, messageId });
    const text = await this.read(event);
    const parse = <T>(parser: () => T): T => {
      try {
        return parser();
      } catch (error) {
        throw new PermanentFailure(`${event.name} is not a valid ${event.kind} file: ${(error as Error).message}`, { cause: error });
      }
    };
    if (event.kind === config.feeds.metadata) {
      const cycles = parse(() => adapter.parseMetadata(text, event.name));
      const windowId = await handleOnce(this.deps.db, consumer, messageId, async (trx) => {
        await upsertMetadata(trx, mission, cycles);
        return evaluateWindow(trx, { mission, config, adapter }, cycles, event.name);
      });
      if (windowId !== undefined) this.deps.onDeliveriesQueued();
      logger.info('burst metadata stored and evaluated', { cycles: cycles.length, windowId });
      return;
    }
    if (event.kind === config.feeds.segments) {
      const segments = parse(() => adapter.parseSegmentTable(text, event.name));
      await handleOnce(this.deps.db, consumer, messageId, (trx) => upsertSegments(trx, mission, segments));
      logger.info('burst segment table stored', { segments: segments.length });
      return;
    }
    if (event.kind === config.feeds.status) {
      const updates = parse(() => adapter.parseStatusFeed(text, event.name));
      const unknown = await handleOnce(this.deps.db, consumer, messageId, (trx) => applyStatusUpdates(trx, mission, updates));
      if (unknown && unknown.length > 0) logger.warn('the status feed names segments the table does not hold; they were skipped', { unknownIds: unknown.slice(0, 50) });
      logger.info('segment states updated', { updates: updates.length });
      return;
    }
    if (event.kind === config.feeds.events && adapter.parseEvents) {
      const events = parse(() => adapter.parseEvents!(text, event.name));
      await handleOnce(this.deps.db, consumer, messageId, (trx) => upsertEvents(trx, mission, events));
      logger.info('mission events stored', { events: events.length });
      return;
    }
    const rows = parse(() => adapter.parseGroundLoop(text, event.name));
    // Nothing to store (the file is served as it is); recorded so a redelivery is recognised.
    await handleOnce(this.deps.db, consumer, messageId, async () => undefined);
    logger.info('ground-loop selections accepted', { selections: rows.length });
  }

  private async read(event: FileIngestedEvent): Promise<string> {
    if (event.size > MAX_FEED_BYTES) throw new PermanentFailure(`${event.name} is ${event.size} bytes, more than the ${MAX_FEED_BYTES} a feed file may hold`);
    const chunks: Buffer[] = [];
    for await (const chunk of await this.deps.store.read(event.storeKey)) chunks.push(Buffer.from(chunk as Uint8Array));
    return Buffer.concat(chunks).toString('utf8');
  }
}
