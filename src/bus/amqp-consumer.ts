import type { ChannelModel, ConfirmChannel, ConsumeMessage } from 'amqplib';
import type { Consumer, Handler, QueueDefinition } from './event-bus.js';
import type { Logger } from '../logging/logger.js';
import { ATTEMPT_HEADER, REASON_HEADER, decodeDelivery, resendOptions } from './amqp-message-codec.js';
import { publishConfirmed } from './amqp-confirmed-publish.js';
import { deadLetterExchangeName, retryQueueName } from './amqp-topology.js';
import { decideFailure } from './failure-outcome.js';

/** What a consumer needs from its bus. */
export interface AmqpConsumerContext {
  exchange: string;
  /** Longest wait for the broker to confirm a message moved to a retry or dead-letter queue. */
  confirmTimeoutMs: number;
  logger: Logger;
  /** The queue's current definition (its retry delays). */
  definition(): QueueDefinition;
  /** The broker cancelled the subscription (queue deleted): redeclare, then `resubscribe()`. */
  onBrokerCancel(consumer: AmqpConsumer): void;
  onStopped(consumer: AmqpConsumer): void;
}

/**
 * One consumer of a RabbitMQ queue on its own confirm channel with a prefetch limit and
 * manual acks. A failed delivery is first sent, confirmed, to its retry queue or to the
 * dead-letter exchange, and only then acknowledged, so a crash in between duplicates it
 * rather than losing it. After a reconnection the bus calls `attach` with the new connection.
 */
export class AmqpConsumer implements Consumer {
  private channel: ConfirmChannel | undefined;
  private consumerTag: string | undefined;
  private attachedTo: ChannelModel | undefined;
  private attaching: Promise<void> | undefined;
  private stopping: Promise<void> | undefined;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly logger: Logger;

  constructor(
    readonly queue: string,
    private readonly handler: Handler<unknown>,
    private readonly prefetch: number,
    private readonly context: AmqpConsumerContext,
  ) {
    this.logger = context.logger.child({ queue });
  }

  /** Subscribes on a connection (idempotent per connection); a no-op once stopping. */
  attach(model: ChannelModel): Promise<void> {
    if (this.stopping) return Promise.resolve();
    if (this.attachedTo !== model || !this.attaching) {
      this.attachedTo = model;
      this.attaching = this.open(model);
      this.attaching.catch(() => {
        if (this.attachedTo === model) this.attaching = undefined;
      });
    }
    return this.attaching;
  }

  /** Subscribes again on the same channel after the broker cancelled the subscription. */
  async resubscribe(): Promise<void> {
    const channel = this.channel;
    if (!channel || this.stopping) return;
    await this.subscribe(channel);
  }

  /** Cancels the subscription, waits for the handlers in flight and their acks, then closes the channel. */
  stop(): Promise<void> {
    this.stopping ??= this.drain();
    return this.stopping;
  }

  private async open(model: ChannelModel): Promise<void> {
    const channel = await model.createConfirmChannel();
    channel.on('error', (error: Error) => this.logger.warn('consumer channel closed by the broker', { error: error.message }));
    channel.on('close', () => {
      if (this.channel === channel) this.channel = undefined;
    });
    await channel.prefetch(this.prefetch);
    this.channel = channel;
    await this.subscribe(channel);
  }

  private async subscribe(channel: ConfirmChannel): Promise<void> {
    const { consumerTag } = await channel.consume(this.queue, (message) => this.onMessage(channel, message), { noAck: false });
    this.consumerTag = consumerTag;
  }

  private async drain(): Promise<void> {
    await this.attaching?.catch(() => undefined);
    const channel = this.channel;
    // basic.cancel stops new deliveries; the channel stays open so the handlers in flight can ack.
    if (channel && this.consumerTag) await channel.cancel(this.consumerTag).catch(() => undefined);
    while (this.inFlight.size > 0) await Promise.all(this.inFlight);
    if (channel) await channel.close().catch(() => undefined);
    this.context.onStopped(this);
  }

  private onMessage(channel: ConfirmChannel, message: ConsumeMessage | null): void {
    if (message === null) {
      if (!this.stopping) this.context.onBrokerCancel(this);
      return;
    }
    if (this.stopping) {
      // Arrived between stop() and the broker's cancel-ok: give it back untouched.
      settle(() => channel.nack(message, false, true));
      return;
    }
    const work: Promise<void> = this.handle(channel, message)
      .catch((error: unknown) => {
        this.logger.error('delivery handling failed unexpectedly', { error: (error as Error).message });
      })
      .finally(() => this.inFlight.delete(work));
    this.inFlight.add(work);
  }

  private async handle(channel: ConfirmChannel, message: ConsumeMessage): Promise<void> {
    const decoded = decodeDelivery(message);
    if (!decoded.ok) return this.deadLetter(channel, message, decoded.attempt, decoded.reason);
    const { delivery } = decoded;
    try {
      await this.handler(delivery);
    } catch (error) {
      const outcome = decideFailure(error, delivery.attempt, this.context.definition().retryDelaysMs);
      if (outcome.kind === 'dead') return this.deadLetter(channel, message, delivery.attempt, outcome.reason);
      this.logger.info('message will be retried', { messageId: delivery.id, attempt: delivery.attempt, delayMs: outcome.delayMs, reason: outcome.reason });
      return this.resend(channel, message, '', retryQueueName(this.queue, outcome.delayMs), { [ATTEMPT_HEADER]: outcome.nextAttempt });
    }
    settle(() => channel.ack(message));
  }

  private deadLetter(channel: ConfirmChannel, message: ConsumeMessage, attempt: number, reason: string): Promise<void> {
    this.logger.warn('message dead-lettered', { messageId: message.properties.messageId, attempt, reason });
    return this.resend(channel, message, deadLetterExchangeName(this.context.exchange), this.queue, { [ATTEMPT_HEADER]: attempt, [REASON_HEADER]: reason });
  }

  /** Sends a copy on, waits for its confirm, then acks the original; on failure the original goes back to the queue. */
  private async resend(channel: ConfirmChannel, message: ConsumeMessage, exchange: string, routingKey: string, headers: Record<string, unknown>): Promise<void> {
    const outgoing = { exchange, routingKey, content: message.content, options: resendOptions(message, headers) };
    try {
      const lost = await publishConfirmed(channel, [outgoing], Date.now() + this.context.confirmTimeoutMs);
      // A lost channel takes the original's delivery with it: the broker redelivers it.
      if (lost.length === 0) settle(() => channel.ack(message));
    } catch (error) {
      this.logger.warn('could not move a failed message on; it goes back to the queue', { messageId: message.properties.messageId, routingKey, error: (error as Error).message });
      settle(() => channel.nack(message, false, true));
    }
  }
}

/** Ack/nack on a channel that may have closed meanwhile: the broker then redelivers, which is what we want. */
function settle(action: () => void): void {
  try {
    action();
  } catch {
    // channel closed: nothing to acknowledge any more
  }
}
