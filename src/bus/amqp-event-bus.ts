import type { Channel, ChannelModel, ConfirmChannel } from 'amqplib';
import type { BusMessage, Consumer, ConsumeOptions, DeadLetter, EventBus, Handler, QueueDefinition } from './event-bus.js';
import { SdcError } from '../errors/sdc-error.js';
import { createRootLogger, type Logger } from '../logging/logger.js';
import { AmqpConnection, type ReconnectOptions } from './amqp-connection.js';
import { AmqpConsumer } from './amqp-consumer.js';
import { publishConfirmed } from './amqp-confirmed-publish.js';
import { decodeDeadLetter, toOutgoing, type OutgoingMessage } from './amqp-message-codec.js';
import { deadQueueName, declareExchanges, declareQueueTopology } from './amqp-topology.js';
import { BusUnavailableError, UnknownQueueError } from './bus-errors.js';
import { encodeMessages } from './message-encoding.js';
import { validatePrefetch, validateQueueDefinition } from './queue-definition-validation.js';

export const DEFAULT_EXCHANGE = 'sdc.events';

export interface AmqpEventBusOptions {
  /** `amqp://user:password@host:port/vhost`; `?heartbeat=N` sets the heartbeat in seconds. */
  url: string;
  /** The topic exchange of events; its dead-letter exchange is `<exchange>.dead`. Default `sdc.events`. */
  exchange?: string;
  /**
   * Longest a call waits for the broker: for a connection during an outage and for the confirms
   * of a publish. Past it, the call rejects with BusUnavailableError. Default 10 s.
   */
  publishTimeoutMs?: number;
  reconnect?: ReconnectOptions;
  /** Receives connection changes, retries and dead letters; silent when absent. */
  logger?: Logger;
}

/**
 * The event bus on RabbitMQ (see docs/bus.md): a durable topic exchange, durable queues with
 * delayed-retry and dead-letter queues, persistent messages published on a confirm channel,
 * consumers on their own channels with prefetch and manual acks. The topology is declared by
 * `declareQueue` and again after every reconnection, then the consumers resume.
 */
export class AmqpEventBus implements EventBus {
  readonly description: string;
  private readonly exchange: string;
  private readonly publishTimeoutMs: number;
  private readonly logger: Logger;
  private readonly definitions = new Map<string, QueueDefinition>();
  private readonly consumers = new Set<AmqpConsumer>();
  private publishing: { model: ChannelModel; channel: Promise<ConfirmChannel> } | undefined;

  private constructor(
    options: AmqpEventBusOptions,
    private readonly connection: AmqpConnection,
    logger: Logger,
  ) {
    this.exchange = options.exchange ?? DEFAULT_EXCHANGE;
    this.publishTimeoutMs = options.publishTimeoutMs ?? 10_000;
    this.logger = logger;
    this.description = connection.description;
  }

  /** Connects (failing fast if the broker is out of reach at start-up) and declares the exchanges. */
  static async connect(options: AmqpEventBusOptions): Promise<AmqpEventBus> {
    const logger = (options.logger ?? createRootLogger({ silent: true })).child({ component: 'bus' });
    let bus: AmqpEventBus | undefined;
    const exchange = options.exchange ?? DEFAULT_EXCHANGE;
    const connection = await AmqpConnection.open({
      url: options.url,
      reconnect: options.reconnect,
      logger,
      onConnected: async (model) => {
        await withChannel(model, (channel) => declareExchanges(channel, exchange));
        await bus?.restore(model);
      },
    });
    bus = new AmqpEventBus(options, connection, logger);
    return bus;
  }

  async declareQueue(definition: QueueDefinition): Promise<void> {
    validateQueueDefinition(definition);
    const previous = this.definitions.get(definition.name);
    const merged = { ...structuredClone(definition), bindings: [...new Set([...(previous?.bindings ?? []), ...definition.bindings])] };
    await this.withChannel((channel) => declareQueueTopology(channel, this.exchange, merged));
    this.definitions.set(definition.name, merged);
  }

  /**
   * Publishes persistently and resolves once the broker has confirmed every message. If the
   * connection drops meanwhile, the unconfirmed messages are sent again after reconnection
   * (a consumer may then see one twice); past `publishTimeoutMs` it rejects with BusUnavailableError.
   */
  async publish(messages: readonly BusMessage[]): Promise<void> {
    let pending: OutgoingMessage[] = encodeMessages(messages).map((m) => toOutgoing(this.exchange, m));
    const deadline = Date.now() + this.publishTimeoutMs;
    let channelError: unknown;
    for (let round = 0; pending.length > 0; round++) {
      if (round > 0) await pause(Math.min(1000, 50 * 2 ** round), deadline);
      if (Date.now() >= deadline) {
        throw new BusUnavailableError(`${pending.length} message(s) not confirmed by the broker within ${this.publishTimeoutMs} ms`, { url: this.description }, { cause: channelError });
      }
      const channel = await this.publishChannel(deadline).catch((error: unknown) => {
        if (error instanceof SdcError) throw error;
        channelError = error;
        return undefined;
      });
      if (!channel) continue;
      pending = await publishConfirmed(channel, pending, deadline);
      if (pending.length > 0) this.logger.info('publish interrupted by a lost channel; sending the unconfirmed messages again', { count: pending.length });
    }
  }

  /** Consumes a queue declared on this bus (its retry delays come from the declaration). */
  async consume<T>(queue: string, handler: Handler<T>, options: ConsumeOptions): Promise<Consumer> {
    validatePrefetch(queue, options.prefetch);
    if (!this.definitions.has(queue)) throw new UnknownQueueError(queue);
    const consumer = new AmqpConsumer(queue, handler as Handler<unknown>, options.prefetch, {
      exchange: this.exchange,
      confirmTimeoutMs: this.publishTimeoutMs,
      logger: this.logger,
      definition: () => this.definitions.get(queue) as QueueDefinition,
      onBrokerCancel: (c) => void this.resubscribe(c),
      onStopped: (c) => this.consumers.delete(c),
    });
    this.consumers.add(consumer);
    try {
      await consumer.attach(await this.connection.waitForModel(Date.now() + this.publishTimeoutMs));
    } catch (error) {
      await consumer.stop();
      throw error instanceof SdcError ? error : new BusUnavailableError(`cannot consume queue "${queue}": ${(error as Error).message}`, { queue }, { cause: error });
    }
    return consumer;
  }

  /** Ready messages of a queue (passive declare); UnknownQueueError if the broker has no such queue. */
  async queueDepth(queue: string): Promise<number> {
    return this.withChannel(async (channel) => (await checkQueue(channel, queue)).messageCount);
  }

  /** Takes up to `limit` messages from `<queue>.dead` (basic.get, acknowledged once read). */
  async takeDeadLetters(queue: string, limit: number): Promise<DeadLetter[]> {
    return this.withChannel(async (channel) => {
      await checkQueue(channel, deadQueueName(queue), queue);
      const letters: DeadLetter[] = [];
      let last;
      while (letters.length < limit) {
        const message = await channel.get(deadQueueName(queue), { noAck: false });
        if (message === false) break;
        letters.push(decodeDeadLetter(message));
        last = message;
      }
      if (last) channel.ack(last, true);
      return letters;
    });
  }

  /** Fails at once with BusUnavailableError while disconnected; otherwise opens and closes a channel. */
  async ping(): Promise<void> {
    const model = this.connection.current;
    if (!model) throw new BusUnavailableError(`no connection to the message broker at ${this.description}`, { url: this.description });
    await this.withChannel(async () => undefined);
  }

  async close(): Promise<void> {
    await this.connection.close();
  }

  /** After a reconnection: the topology again, then every consumer on the new connection. */
  private async restore(model: ChannelModel): Promise<void> {
    await withChannel(model, async (channel) => {
      for (const definition of this.definitions.values()) await declareQueueTopology(channel, this.exchange, definition);
    });
    for (const consumer of this.consumers) await consumer.attach(model);
    if (this.consumers.size > 0 || this.definitions.size > 0) {
      this.logger.info('bus topology and consumers restored', { queues: this.definitions.size, consumers: this.consumers.size });
    }
  }

  private async resubscribe(consumer: AmqpConsumer): Promise<void> {
    this.logger.warn('the broker cancelled a consumer (queue deleted?); redeclaring and resubscribing', { queue: consumer.queue });
    try {
      const definition = this.definitions.get(consumer.queue) as QueueDefinition;
      await this.withChannel((channel) => declareQueueTopology(channel, this.exchange, definition));
      await consumer.resubscribe();
    } catch (error) {
      this.logger.error('could not resubscribe; the consumer resumes after the next reconnection', { queue: consumer.queue, error: (error as Error).message });
    }
  }

  private publishChannel(deadline: number): Promise<ConfirmChannel> {
    const current = this.publishing;
    const model = this.connection.current;
    if (current && current.model === model) return current.channel;
    return this.connection.waitForModel(deadline).then((live) => {
      if (this.publishing?.model === live) return this.publishing.channel;
      const channel = live.createConfirmChannel().then((opened) => {
        opened.on('error', (error: Error) => this.logger.warn('publish channel closed by the broker', { error: error.message }));
        opened.on('close', () => {
          if (this.publishing?.channel === channel) this.publishing = undefined;
        });
        return opened;
      });
      this.publishing = { model: live, channel };
      channel.catch(() => {
        if (this.publishing?.channel === channel) this.publishing = undefined;
      });
      return channel;
    });
  }

  /** Runs one operation on a short-lived channel of the live connection (waiting for one, bounded). */
  private async withChannel<T>(operation: (channel: Channel) => Promise<T>): Promise<T> {
    const model = await this.connection.waitForModel(Date.now() + this.publishTimeoutMs);
    try {
      return await withChannel(model, operation);
    } catch (error) {
      if (error instanceof SdcError) throw error;
      throw new BusUnavailableError(`broker operation failed on ${this.description}: ${(error as Error).message}`, { url: this.description }, { cause: error });
    }
  }
}

async function withChannel<T>(model: ChannelModel, operation: (channel: Channel) => Promise<T>): Promise<T> {
  const channel = await model.createChannel();
  // A channel error also rejects the operation that caused it; the event only needs a listener.
  channel.on('error', () => undefined);
  try {
    return await operation(channel);
  } finally {
    await channel.close().catch(() => undefined);
  }
}

/** Passive declare; a missing queue is reported as UnknownQueueError for `reportedAs`. */
async function checkQueue(channel: Channel, queue: string, reportedAs = queue): Promise<{ messageCount: number }> {
  try {
    return await channel.checkQueue(queue);
  } catch (error) {
    if ((error as { code?: number }).code === 404) throw new UnknownQueueError(reportedAs, { cause: error });
    throw error;
  }
}

function pause(ms: number, deadline: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, Math.min(ms, deadline - Date.now()))));
}
