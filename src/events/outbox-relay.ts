import { setTimeout as sleep } from 'node:timers/promises';
import type { Kysely } from 'kysely';
import type { EventBus } from '../bus/event-bus.js';
import type { CatalogSchema } from '../catalog/catalog-schema.js';
import { busMessageOf, deletePublished, publishPendingOutbox, type CommittedEventPublisher, type OutboxRow } from '../catalog/outbox.js';
import type { Logger } from '../logging/logger.js';

export interface OutboxRelayOptions {
  /** Events published per broker round trip. */
  batchSize?: number;
  /** How often the outbox is checked without a wake-up (commits of other processes, recovery). */
  pollMs?: number;
  /** How long the relay leaves alone the events that their transaction's owner publishes. */
  ownerGraceMs?: number;
  /** How long the rows of events their owners published wait to be deleted with others. */
  deleteDelayMs?: number;
}

/**
 * Publishes committed outbox events to the bus, in order, after commit. Code that commits
 * events calls `wake()` so they leave at once; polling catches the rest (other processes,
 * events left by a crash). A failed publish (broker down) is retried at the next poll.
 *
 * The hot paths publish their own events instead (`publishCommitted`, see
 * `transactionPublishingEvents`): right after their commit, with the broker's confirms, the
 * rows then deleted in batches; the relay takes those rows only once their owner's grace has
 * passed.
 */
export class OutboxRelay implements CommittedEventPublisher {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = true;
  private readonly batchSize: number;
  private readonly pollMs: number;
  readonly ownerGraceMs: number;
  private readonly deleteDelayMs: number;
  /** Owners' events being published now. */
  private readonly publishing = new Set<Promise<void>>();
  /** Ids of owners' events published and not yet deleted, and the delete under way. */
  private published: number[] = [];
  private deleting: Promise<void> | undefined;

  constructor(
    private readonly db: Kysely<CatalogSchema>,
    private readonly bus: EventBus,
    private readonly logger: Logger,
    options: OutboxRelayOptions = {},
  ) {
    this.batchSize = options.batchSize ?? 500;
    this.pollMs = options.pollMs ?? 500;
    this.ownerGraceMs = options.ownerGraceMs ?? 10_000;
    this.deleteDelayMs = options.deleteDelayMs ?? 50;
  }

  /** Owners hand events over only while the relay runs: before, their queues may not be declared yet. */
  get accepting(): boolean {
    return !this.stopped;
  }

  start(): void {
    this.stopped = false;
    this.wake();
  }

  /** Asks for a publish pass now (coalesced with one already running). */
  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    clearTimeout(this.timer);
    this.running = this.drain().finally(() => {
      this.running = undefined;
      if (this.stopped) return;
      if (this.again) {
        this.again = false;
        this.wake();
        return;
      }
      this.timer = setTimeout(() => this.wake(), this.pollMs);
    });
  }

  publishCommitted(rows: readonly OutboxRow[]): void {
    const done = this.bus.publish(rows.map(busMessageOf)).then(
      () => this.forget(rows.map((r) => Number(r.id))),
      (error: unknown) => void this.logger.warn('publishing events after their commit failed; the relay will publish them', { count: rows.length, afterMs: this.ownerGraceMs, error: (error as Error).message }),
    );
    this.publishing.add(done);
    void done.finally(() => this.publishing.delete(done));
  }

  /** Publishes everything pending now; resolves when the outbox is empty (tests, shutdown). */
  async flush(): Promise<void> {
    await this.settleOwned();
    await this.running;
    await this.drain();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
    await this.settleOwned();
  }

  /** Waits for the owners' events being published and their rows' deletion. */
  private async settleOwned(): Promise<void> {
    await Promise.all(this.publishing);
    await this.deleting;
  }

  /**
   * Deletes published rows a little later, in one statement with the others published meanwhile
   * (at 100 jobs/s, one delete for several jobs' events instead of one each); rows published
   * during a delete go in the next one.
   */
  private forget(ids: number[]): void {
    this.published.push(...ids);
    this.deleting ??= (async () => {
      await sleep(this.deleteDelayMs);
      while (this.published.length > 0) {
        const batch = this.published.splice(0);
        // A failed delete leaves the rows to the relay after their grace: published twice, absorbed by message id.
        await deletePublished(this.db, batch).catch((error: unknown) => void this.logger.warn('deleting published events failed; they will be published again', { count: batch.length, error: (error as Error).message }));
      }
      this.deleting = undefined;
    })();
  }

  private async drain(): Promise<void> {
    try {
      while ((await publishPendingOutbox(this.db, this.bus, this.batchSize)) === this.batchSize) {
        // a full batch: more may be waiting
      }
    } catch (error) {
      this.logger.warn('outbox publish failed; will retry', { error: (error as Error).message });
    }
  }
}
