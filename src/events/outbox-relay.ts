import type { Kysely } from 'kysely';
import type { EventBus } from '../bus/event-bus.js';
import type { CatalogSchema } from '../catalog/catalog-schema.js';
import { publishPendingOutbox } from '../catalog/outbox.js';
import type { Logger } from '../logging/logger.js';

export interface OutboxRelayOptions {
  /** Events published per broker round trip. */
  batchSize?: number;
  /** How often the outbox is checked without a wake-up (commits of other processes, recovery). */
  pollMs?: number;
}

/**
 * Publishes committed outbox events to the bus, in order, after commit. Code that commits
 * events calls `wake()` so they leave at once; polling catches the rest (other processes,
 * events left by a crash). A failed publish (broker down) is retried at the next poll.
 */
export class OutboxRelay {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = true;
  private readonly batchSize: number;
  private readonly pollMs: number;

  constructor(
    private readonly db: Kysely<CatalogSchema>,
    private readonly bus: EventBus,
    private readonly logger: Logger,
    options: OutboxRelayOptions = {},
  ) {
    this.batchSize = options.batchSize ?? 500;
    this.pollMs = options.pollMs ?? 500;
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

  /** Publishes everything pending now; resolves when the outbox is empty (tests, shutdown). */
  async flush(): Promise<void> {
    await this.running;
    await this.drain();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
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
