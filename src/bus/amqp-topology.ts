import type { Channel } from 'amqplib';
import type { QueueDefinition } from './event-bus.js';
import { BusTopologyError } from './bus-errors.js';

/** The direct exchange that routes dead letters to `<queue>.dead`, keyed by queue name. */
export function deadLetterExchangeName(exchange: string): string {
  return `${exchange}.dead`;
}

/** Holds failed messages for `delayMs`, then dead-letters them back into the queue. */
export function retryQueueName(queue: string, delayMs: number): string {
  return `${queue}.retry.${delayMs}`;
}

export function deadQueueName(queue: string): string {
  return `${queue}.dead`;
}

/** Declares the events exchange (topic) and its dead-letter exchange (direct), both durable. */
export async function declareExchanges(channel: Channel, exchange: string): Promise<void> {
  await channel.assertExchange(exchange, 'topic', { durable: true });
  await channel.assertExchange(deadLetterExchangeName(exchange), 'direct', { durable: true });
}

/**
 * Declares a queue and its retry and dead-letter queues, idempotently:
 * - `<queue>`: durable, bound to the events exchange by each pattern, priorities when asked;
 *   messages the broker itself dead-letters (rejected, over limits) go to `<queue>.dead`;
 * - `<queue>.retry.<ms>`: one per delay, no consumer, `x-message-ttl` of the delay, expired
 *   messages dead-lettered through the default exchange back into `<queue>`;
 * - `<queue>.dead`: durable, bound to the dead-letter exchange with the queue name.
 */
export async function declareQueueTopology(channel: Channel, exchange: string, definition: QueueDefinition): Promise<void> {
  const { name } = definition;
  const dlx = deadLetterExchangeName(exchange);
  const priority = definition.maxPriority ? { 'x-max-priority': definition.maxPriority } : {};
  await assertQueue(channel, name, { 'x-dead-letter-exchange': dlx, 'x-dead-letter-routing-key': name, ...priority });
  for (const pattern of definition.bindings) await channel.bindQueue(name, exchange, pattern);
  for (const delayMs of new Set(definition.retryDelaysMs)) {
    await assertQueue(channel, retryQueueName(name, delayMs), { 'x-message-ttl': delayMs, 'x-dead-letter-exchange': '', 'x-dead-letter-routing-key': name });
  }
  await assertQueue(channel, deadQueueName(name), {});
  await channel.bindQueue(deadQueueName(name), dlx, name);
}

async function assertQueue(channel: Channel, queue: string, args: Record<string, unknown>): Promise<void> {
  try {
    await channel.assertQueue(queue, { durable: true, arguments: args });
  } catch (error) {
    if ((error as { code?: number }).code !== 406) throw error;
    throw new BusTopologyError(
      `queue "${queue}" already exists on the broker with other arguments (${(error as Error).message}); delete it or keep its definition`,
      { queue, arguments: args },
      { cause: error },
    );
  }
}
