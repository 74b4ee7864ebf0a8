import type { DeadLetter, Handler, QueueDefinition } from './event-bus.js';
import type { Logger } from '../logging/logger.js';
import { BusTopologyError } from './bus-errors.js';
import { decideFailure } from './failure-outcome.js';
import { MemoryConsumer, toDelivery, type HandlerResult, type StoredMessage } from './memory-consumer.js';
import { PriorityFifo } from './priority-fifo.js';
import { topicMatches } from './topic-pattern.js';

/**
 * One queue of the in-process bus: its ready messages (by priority when `maxPriority` is set),
 * its competing consumers served in turn, its delayed retries and its dead letters.
 */
export class MemoryQueue {
  private readonly ready: PriorityFifo<StoredMessage>;
  private readonly dead: DeadLetter[] = [];
  private readonly consumers: MemoryConsumer[] = [];
  private readonly retryTimers = new Set<NodeJS.Timeout>();
  private nextConsumer = 0;
  private dispatchScheduled = false;
  private closed = false;

  constructor(
    private definition: QueueDefinition,
    private readonly logger: Logger,
  ) {
    this.ready = new PriorityFifo(definition.maxPriority ?? 0);
  }

  get name(): string {
    return this.definition.name;
  }

  /** Messages waiting for a consumer (not those being handled or waiting for a retry). */
  get depth(): number {
    return this.ready.size;
  }

  /** Like a broker: bindings add up, retry delays follow the latest declaration, the priority range cannot change. */
  redeclare(definition: QueueDefinition): void {
    if ((definition.maxPriority ?? 0) !== (this.definition.maxPriority ?? 0)) {
      throw new BusTopologyError(
        `queue "${definition.name}" exists with maxPriority ${this.definition.maxPriority ?? 0}; it cannot be redeclared with ${definition.maxPriority ?? 0}`,
        { queue: definition.name },
      );
    }
    const bindings = [...new Set([...this.definition.bindings, ...definition.bindings])];
    this.definition = { ...structuredClone(definition), bindings };
  }

  /** True when one of the queue's bindings matches the routing key. */
  matches(routingKey: string): boolean {
    return this.definition.bindings.some((pattern) => topicMatches(pattern, routingKey));
  }

  enqueue(message: StoredMessage): void {
    if (this.closed) return;
    this.ready.push(message, message.priority);
    this.scheduleDispatch();
  }

  consume(handler: Handler<unknown>, prefetch: number): MemoryConsumer {
    const consumer = new MemoryConsumer(handler, prefetch, {
      settle: (message, result) => this.settle(message, result),
      detach: (c) => this.detach(c),
    });
    this.consumers.push(consumer);
    this.scheduleDispatch();
    return consumer;
  }

  takeDeadLetters(limit: number): DeadLetter[] {
    return this.dead.splice(0, Math.max(0, limit));
  }

  /** Drops waiting messages and pending retries; handlers in flight finish into nothing. */
  close(): void {
    this.closed = true;
    for (const timer of this.retryTimers) clearTimeout(timer);
    this.retryTimers.clear();
    this.ready.clear();
  }

  private detach(consumer: MemoryConsumer): void {
    const index = this.consumers.indexOf(consumer);
    if (index >= 0) this.consumers.splice(index, 1);
  }

  private settle(message: StoredMessage, result: HandlerResult): void {
    if (!result.ok && !this.closed) this.fail(message, result.error);
    this.scheduleDispatch();
  }

  private fail(message: StoredMessage, error: unknown): void {
    const outcome = decideFailure(error, message.attempt, this.definition.retryDelaysMs);
    const ids = { queue: this.name, messageId: message.id, attempt: message.attempt };
    if (outcome.kind === 'dead') {
      this.logger.warn('message dead-lettered', { ...ids, reason: outcome.reason });
      this.dead.push({ ...toDelivery(message), reason: outcome.reason });
      return;
    }
    this.logger.info('message will be retried', { ...ids, delayMs: outcome.delayMs, reason: outcome.reason });
    const timer = setTimeout(() => {
      this.retryTimers.delete(timer);
      this.enqueue({ ...message, attempt: outcome.nextAttempt });
    }, outcome.delayMs);
    // A pending retry must not keep a finished process alive.
    timer.unref();
    this.retryTimers.add(timer);
  }

  private scheduleDispatch(): void {
    if (this.dispatchScheduled || this.closed) return;
    this.dispatchScheduled = true;
    setImmediate(() => this.dispatch());
  }

  private dispatch(): void {
    this.dispatchScheduled = false;
    while (this.ready.size > 0 && !this.closed) {
      const consumer = this.pickConsumer();
      if (!consumer) return;
      consumer.deliver(this.ready.shift() as StoredMessage);
    }
  }

  /** The next consumer in turn that can take a delivery, so competing consumers share the work. */
  private pickConsumer(): MemoryConsumer | undefined {
    const count = this.consumers.length;
    for (let i = 0; i < count; i++) {
      const index = (this.nextConsumer + i) % count;
      const consumer = this.consumers[index];
      if (consumer?.accepting) {
        this.nextConsumer = (index + 1) % count;
        return consumer;
      }
    }
    return undefined;
  }
}
