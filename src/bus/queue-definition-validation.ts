import type { QueueDefinition } from './event-bus.js';
import { BusTopologyError } from './bus-errors.js';
import { MAX_PRIORITY } from './message-encoding.js';

/** Leaves room in AMQP's 255-byte queue names for the `.retry.<ms>` and `.dead` suffixes. */
const MAX_QUEUE_NAME_BYTES = 200;

/** Longest retry delay: a day. RabbitMQ's per-queue TTL allows more, but a longer wait is a schedule, not a retry. */
const MAX_RETRY_DELAY_MS = 86_400_000;

/** Rejects a queue definition no adapter could honour, with the field at fault. */
export function validateQueueDefinition(definition: QueueDefinition): void {
  const { name, bindings, retryDelaysMs, maxPriority } = definition;
  if (typeof name !== 'string' || name.length === 0 || Buffer.byteLength(name) > MAX_QUEUE_NAME_BYTES) {
    throw new BusTopologyError(`queue name must be a non-empty string of at most ${MAX_QUEUE_NAME_BYTES} bytes`, { queue: name });
  }
  if (!Array.isArray(bindings) || bindings.some((b) => typeof b !== 'string' || b.length === 0)) {
    throw new BusTopologyError(`queue "${name}" bindings must be non-empty topic patterns`, { queue: name, bindings });
  }
  if (!Array.isArray(retryDelaysMs) || retryDelaysMs.some((d) => !Number.isInteger(d) || d < 0 || d > MAX_RETRY_DELAY_MS)) {
    throw new BusTopologyError(`queue "${name}" retryDelaysMs must be integers from 0 to ${MAX_RETRY_DELAY_MS}`, { queue: name, retryDelaysMs });
  }
  if (maxPriority !== undefined && (!Number.isInteger(maxPriority) || maxPriority < 0 || maxPriority > MAX_PRIORITY)) {
    throw new BusTopologyError(`queue "${name}" maxPriority must be an integer 0-${MAX_PRIORITY}`, { queue: name, maxPriority });
  }
}

/** Checks a prefetch count: how many unacknowledged deliveries a consumer may hold. */
export function validatePrefetch(queue: string, prefetch: number): void {
  if (!Number.isInteger(prefetch) || prefetch < 1 || prefetch > 65_535) {
    throw new BusTopologyError(`prefetch for queue "${queue}" must be an integer 1-65535`, { queue, prefetch });
  }
}
