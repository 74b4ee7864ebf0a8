import type { Kysely } from 'kysely';
import { batchDeliveries } from '../bus/delivery-batcher.js';
import type { Consumer, Delivery, EventBus, QueueDefinition } from '../bus/event-bus.js';
import type { CatalogSchema } from '../catalog/catalog-schema.js';
import type { CommittedEventPublisher } from '../catalog/outbox.js';
import { FILE_INGESTED, type FileIngestedEvent } from '../events/event-types.js';
import { handleManyOnce } from '../events/handle-once.js';
import type { Logger } from '../logging/logger.js';
import { arrivalTriggeredChannel, type ArrivalTriggered } from './pipeline-timings.js';
import { EVALUATION_BATCH, type TriggerService } from './trigger-service.js';

/** The queue of production arrivals that may trigger processing (staging never does). */
export function triggerQueue(mission: string): QueueDefinition {
  return { name: `sdc.${mission}.triggers`, bindings: [`${FILE_INGESTED}.${mission}.production.#`], retryDelaysMs: [1_000, 10_000, 60_000] };
}

/** Arrivals' events held and handled in one transaction at most. */
const BATCH = 32;

export interface TriggerConsumerOptions {
  /** How often due scopes are looked for (they also are right after an arrival marks some). */
  pollMs?: number;
  /** Publishes the jobs' `job.requested` events right after the commit that queued them (the outbox relay). */
  events?: CommittedEventPublisher;
}

/**
 * Consumes `file.ingested` (each message once, a batch of what the consumer holds per
 * transaction) and marks the scopes arrivals touch (or, without debounce, evaluates them at
 * once); evaluates scopes as they fall due and queues their jobs. An arrival that marked scopes
 * schedules an evaluation for when the shortest debounce has passed, so a job does not wait for
 * the next poll; the poll catches the rest (longer debounces, other processes' marks). Several
 * processes may run it: due scopes are taken with SKIP LOCKED.
 */
export class TriggerConsumer {
  private consumer: Consumer | undefined;
  private timer: NodeJS.Timeout | undefined;
  private soon: { timer: NodeJS.Timeout; at: number } | undefined;
  private evaluating: Promise<void> | undefined;
  private again = false;

  constructor(
    private readonly db: Kysely<CatalogSchema>,
    private readonly bus: EventBus,
    private readonly trigger: TriggerService,
    private readonly mission: string,
    private readonly logger: Logger,
    private readonly options: TriggerConsumerOptions = {},
  ) {}

  async start(): Promise<void> {
    const queue = triggerQueue(this.mission);
    await this.bus.declareQueue(queue);
    this.consumer = await this.bus.consume<FileIngestedEvent>(queue.name, batchDeliveries((deliveries) => this.handle(queue.name, deliveries), BATCH), { prefetch: BATCH });
    this.schedule();
  }

  /**
   * Handles a batch of arrivals' events in one transaction. A file no rule triggers on changes
   * nothing, so it needs no record of being handled either: a batch of only those is
   * acknowledged without a transaction.
   */
  private async handle(consumer: string, deliveries: Delivery<FileIngestedEvent>[]): Promise<void> {
    const triggering = deliveries.filter((d) => this.trigger.triggers(d.body));
    if (triggering.length === 0) return;
    const started = performance.now();
    // A message held twice (a redelivery beside its first delivery) is handled once.
    const byId = new Map(triggering.map((d) => [d.id, d.body]));
    const outcome = await handleManyOnce(this.db, consumer, [...byId.keys()], (trx, fresh) => {
      for (const [id, body] of byId) if (!fresh.has(id)) this.logger.info('event already handled', { messageId: id, fileId: body.fileId });
      return this.trigger.onFilesIngested(trx, [...byId].filter(([id]) => fresh.has(id)).map(([, body]) => body));
    }, this.options.events);
    if (arrivalTriggeredChannel.hasSubscribers) {
      for (const d of triggering) arrivalTriggeredChannel.publish({ fileName: d.body.name, durationMs: performance.now() - started, queued: outcome.queued } satisfies ArrivalTriggered);
    }
    if (outcome.marked > 0) this.evaluateSoon(this.trigger.shortestDebounceMs);
  }

  async stop(): Promise<void> {
    await this.consumer?.stop();
    this.consumer = undefined;
    clearTimeout(this.timer);
    this.timer = undefined;
    clearTimeout(this.soon?.timer);
    this.soon = undefined;
    await this.evaluating;
  }

  /** Evaluates every scope due now (tests, the demo, shutdown). */
  async evaluateNow(): Promise<void> {
    await this.evaluating;
    await this.evaluateAll();
  }

  private schedule(): void {
    this.timer = setTimeout(() => {
      void this.evaluate().finally(() => {
        if (this.consumer) this.schedule();
      });
    }, this.options.pollMs ?? 200);
  }

  /** Runs an evaluation in `delayMs` unless one is already planned sooner. */
  private evaluateSoon(delayMs: number): void {
    const at = Date.now() + delayMs;
    if (this.soon && this.soon.at <= at) return;
    clearTimeout(this.soon?.timer);
    this.soon = {
      at,
      timer: setTimeout(() => {
        this.soon = undefined;
        if (this.consumer) void this.evaluate();
      }, delayMs),
    };
  }

  /** One evaluation at a time in this process; a request during one runs another right after it. */
  private evaluate(): Promise<void> {
    if (this.evaluating) {
      this.again = true;
      return this.evaluating;
    }
    this.evaluating = this.evaluateAll().finally(() => {
      this.evaluating = undefined;
      if (this.again && this.consumer) {
        this.again = false;
        void this.evaluate();
      }
    });
    return this.evaluating;
  }

  private async evaluateAll(): Promise<void> {
    try {
      for (;;) {
        const { evaluated } = await this.trigger.evaluateDue(EVALUATION_BATCH);
        if (evaluated < EVALUATION_BATCH) return;
      }
    } catch (error) {
      this.logger.error('evaluating due jobs failed; will retry', { error: (error as Error).message });
    }
  }
}
