import type { EventBus } from './event-bus.js';
import type { Logger } from '../logging/logger.js';
import { AmqpEventBus, type AmqpEventBusOptions } from './amqp-event-bus.js';
import { MemoryEventBus } from './memory-event-bus.js';

/** Which bus to run: the in-process one (embedded default) or RabbitMQ. */
export type EventBusOptions = { kind: 'memory' } | ({ kind: 'amqp' } & Omit<AmqpEventBusOptions, 'logger'>);

/**
 * Builds the configured bus; for RabbitMQ it connects first, so an unreachable broker fails
 * start-up with BusUnavailableError instead of the first publish.
 */
export async function createEventBus(options: EventBusOptions, logger?: Logger): Promise<EventBus> {
  if (options.kind === 'memory') return new MemoryEventBus({ logger });
  return AmqpEventBus.connect({ ...options, logger });
}
