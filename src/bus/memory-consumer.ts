import type { Consumer, Delivery, Handler } from './event-bus.js';

/** A message held by the in-process bus: the body stays JSON text so every delivery gets its own copy. */
export interface StoredMessage {
  id: string;
  type: string;
  routingKey: string;
  priority: number;
  json: string;
  attempt: number;
}

/** How a handler ended: resolved, or threw `error`. */
export type HandlerResult = { ok: true } | { ok: false; error: unknown };

/** What a consumer tells its queue. */
export interface ConsumerQueueLink {
  settle(message: StoredMessage, result: HandlerResult): void;
  detach(consumer: MemoryConsumer): void;
}

/** One consumer of the in-process bus: at most `prefetch` handlers at once; `stop()` drains them. */
export class MemoryConsumer implements Consumer {
  private inFlight = 0;
  private stopping = false;
  private readonly idleWaiters: (() => void)[] = [];

  constructor(
    private readonly handler: Handler<unknown>,
    private readonly prefetch: number,
    private readonly queue: ConsumerQueueLink,
  ) {}

  /** True while this consumer takes deliveries and holds fewer than `prefetch`. */
  get accepting(): boolean {
    return !this.stopping && this.inFlight < this.prefetch;
  }

  /** Runs the handler on a fresh copy of the message and reports the result to the queue. */
  deliver(message: StoredMessage): void {
    this.inFlight++;
    void this.run(message).then((result) => {
      this.inFlight--;
      this.queue.settle(message, result);
      if (this.inFlight === 0) this.idleWaiters.splice(0).forEach((wake) => wake());
    });
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.queue.detach(this);
    if (this.inFlight === 0) return;
    await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  private async run(message: StoredMessage): Promise<HandlerResult> {
    try {
      await this.handler(toDelivery(message));
      return { ok: true };
    } catch (error) {
      return { ok: false, error };
    }
  }
}

/** A delivery with its own copy of the body, so a handler cannot alter what a retry or another queue sees. */
export function toDelivery(message: StoredMessage): Delivery {
  return {
    id: message.id,
    type: message.type,
    routingKey: message.routingKey,
    priority: message.priority,
    body: JSON.parse(message.json) as unknown,
    attempt: message.attempt,
  };
}
