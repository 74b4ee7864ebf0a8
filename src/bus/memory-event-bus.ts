import type { BusMessage, Consumer, ConsumeOptions, DeadLetter, EventBus, Handler, QueueDefinition } from './event-bus.js';
import { createRootLogger, type Logger } from '../logging/logger.js';
import { BusUnavailableError, UnknownQueueError } from './bus-errors.js';
import { encodeMessages } from './message-encoding.js';
import { MemoryQueue } from './memory-queue.js';
import { validatePrefetch, validateQueueDefinition } from './queue-definition-validation.js';

export interface MemoryEventBusOptions {
  /** Receives retries and dead letters; silent when absent. */
  logger?: Logger;
}

/**
 * The in-process bus of the embedded default, with the semantics of the RabbitMQ adapter:
 * topic routing, queues that keep messages until consumed, prefetch, competing consumers,
 * priorities, delayed retries and dead letters. Messages live in memory: they do not survive
 * the process, which is why the embedded default is for one machine and demos.
 */
export class MemoryEventBus implements EventBus {
  readonly description = 'memory';
  private readonly queues = new Map<string, MemoryQueue>();
  private readonly logger: Logger;
  private closed = false;

  constructor(options: MemoryEventBusOptions = {}) {
    this.logger = (options.logger ?? createRootLogger({ silent: true })).child({ component: 'bus' });
  }

  async declareQueue(definition: QueueDefinition): Promise<void> {
    this.assertOpen();
    validateQueueDefinition(definition);
    const existing = this.queues.get(definition.name);
    if (existing) {
      existing.redeclare(definition);
      return;
    }
    this.queues.set(definition.name, new MemoryQueue(structuredClone(definition), this.logger.child({ queue: definition.name })));
  }

  /** Copies each message (JSON round trip) into every queue whose bindings match; unmatched messages are dropped. */
  async publish(messages: readonly BusMessage[]): Promise<void> {
    this.assertOpen();
    for (const message of encodeMessages(messages)) {
      for (const queue of this.queues.values()) {
        if (queue.matches(message.routingKey)) queue.enqueue({ ...message, attempt: 1 });
      }
    }
  }

  async consume<T>(queue: string, handler: Handler<T>, options: ConsumeOptions): Promise<Consumer> {
    this.assertOpen();
    validatePrefetch(queue, options.prefetch);
    return this.queue(queue).consume(handler as Handler<unknown>, options.prefetch);
  }

  async queueDepth(queue: string): Promise<number> {
    this.assertOpen();
    return this.queue(queue).depth;
  }

  async takeDeadLetters(queue: string, limit: number): Promise<DeadLetter[]> {
    this.assertOpen();
    return this.queue(queue).takeDeadLetters(limit);
  }

  async ping(): Promise<void> {
    this.assertOpen();
  }

  /** Drops every queued message and pending retry. */
  async close(): Promise<void> {
    this.closed = true;
    for (const queue of this.queues.values()) queue.close();
  }

  private queue(name: string): MemoryQueue {
    const queue = this.queues.get(name);
    if (!queue) throw new UnknownQueueError(name);
    return queue;
  }

  private assertOpen(): void {
    if (this.closed) throw new BusUnavailableError('the in-process bus is closed');
  }
}
