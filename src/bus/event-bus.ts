/**
 * The event bus: a topic exchange of durable, persistent messages with at-least-once delivery.
 *
 * Glossary: a *message* is published with a routing key (`file.ingested.<mission>.<tier>.<kind>.<spacecraft>.<instrument>.<level>`);
 * a *queue* is bound to routing patterns (`file.ingested.#`) and consumed by competing workers;
 * a *delivery* is one attempt at handling a message. Handlers must be idempotent (deduplicate
 * by `id`), because a message may arrive more than once after a crash or a redelivery.
 *
 * Adapters: RabbitMQ (amqplib, publisher confirms, manual acks, dead-letter exchange, delayed
 * retry queues) and an in-process bus with the same semantics for the embedded default.
 */
export interface BusMessage<T = unknown> {
  /** Unique id; consumers deduplicate by it. */
  id: string;
  /** Event name, e.g. `file.ingested`. */
  type: string;
  /** Topic routing key; starts with the type, then the fields consumers filter on. */
  routingKey: string;
  body: T;
  /** 0 (lowest) to 9; live data before campaign work. */
  priority?: number;
}

export interface Delivery<T = unknown> extends BusMessage<T> {
  /** 1 for the first delivery, incremented on every retry. */
  attempt: number;
}

export interface QueueDefinition {
  /** Durable queue name, e.g. `jobs.production`. */
  name: string;
  /** Topic patterns on the events exchange (`*` one word, `#` zero or more words). */
  bindings: string[];
  /**
   * Delay before each retry: `[1000, 10000]` means attempt 2 after 1 s, attempt 3 after 10 s;
   * a failure of the last attempt dead-letters the message.
   */
  retryDelaysMs: number[];
  /** Highest priority honoured on this queue (0-9); 0 or absent: no priorities. */
  maxPriority?: number;
}

/** Resolving acknowledges; throwing retries after a delay or dead-letters (see PermanentFailure). */
export type Handler<T = unknown> = (delivery: Delivery<T>) => Promise<void>;

export interface ConsumeOptions {
  /** How many unacknowledged deliveries this consumer holds at once. */
  prefetch: number;
}

export interface Consumer {
  /** Stops taking new deliveries and waits for the handlers in flight to finish (drain). */
  stop(): Promise<void>;
}

/** A message that was dead-lettered, with the reason of its last failure. */
export interface DeadLetter<T = unknown> extends Delivery<T> {
  reason: string;
}

export interface EventBus {
  /** `amqp://host/vhost` or `memory`, for messages. */
  readonly description: string;
  /** Declares the queue, its bindings, its retry and dead-letter queues. Idempotent. */
  declareQueue(definition: QueueDefinition): Promise<void>;
  /** Publishes persistently; resolves only when the broker has confirmed every message. */
  publish(messages: readonly BusMessage[]): Promise<void>;
  /** Consumes a declared queue with manual acknowledgement. */
  consume<T>(queue: string, handler: Handler<T>, options: ConsumeOptions): Promise<Consumer>;
  /** Messages waiting (ready, not yet delivered) in a queue. */
  queueDepth(queue: string): Promise<number>;
  /** Removes and returns up to `limit` dead letters of a queue (operators, tests). */
  takeDeadLetters(queue: string, limit: number): Promise<DeadLetter[]>;
  /** Checks the broker is reachable (health checks). */
  ping(): Promise<void>;
  /** Closes connections; consumers should be stopped first. */
  close(): Promise<void>;
}

/** Thrown by a handler for a message that no retry can fix: it is dead-lettered at once. */
export class PermanentFailure extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PermanentFailure';
  }
}
