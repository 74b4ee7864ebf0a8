import type { EventBus } from '../bus/event-bus.js';
import { UnknownQueueError } from '../bus/bus-errors.js';
import { jobQueue } from '../jobs/job-worker.js';
import { triggerQueue } from '../jobs/trigger-consumer.js';

const TIERS = ['production', 'staging'] as const;

/** The queues of one mission that operations watch: arrivals to trigger, then jobs per tier. */
export function watchedQueues(mission: string): string[] {
  return [triggerQueue(mission).name, ...TIERS.map((tier) => jobQueue(mission, tier, []).name)];
}

/** The job queues only (a backlog there means workers cannot keep up). */
export function jobQueues(mission: string): string[] {
  return TIERS.map((tier) => jobQueue(mission, tier, []).name);
}

/**
 * Ready messages per queue, from the bus. A queue nobody declared yet (no worker ever started
 * on this broker, or not in this process for the in-process bus) is left out.
 */
export async function queueDepths(bus: EventBus, queues: readonly string[]): Promise<Map<string, number>> {
  const depths = new Map<string, number>();
  for (const queue of queues) {
    try {
      depths.set(queue, await bus.queueDepth(queue));
    } catch (error) {
      if (!(error instanceof UnknownQueueError)) throw error;
    }
  }
  return depths;
}
