import type { EventBus } from '../bus/event-bus.js';
import { UnknownQueueError } from '../bus/bus-errors.js';
import { jobQueue, legacyJobQueue } from '../jobs/job-worker.js';
import { triggerQueue } from '../jobs/trigger-consumer.js';

const TIERS = ['production', 'staging'] as const;

/**
 * The queues of one mission that operations watch: arrivals to trigger, then jobs per tier and
 * instrument, then the former per-tier job queues (reported only while the broker still has them).
 */
export function watchedQueues(mission: string, instruments: readonly string[]): string[] {
  return [triggerQueue(mission).name, ...jobQueues(mission, instruments), ...TIERS.map((tier) => legacyJobQueue(mission, tier, []).name)];
}

/** The job queues only (a backlog there means the workers of that tier and instrument cannot keep up). */
export function jobQueues(mission: string, instruments: readonly string[]): string[] {
  return TIERS.flatMap((tier) => instruments.map((instrument) => jobQueue(mission, tier, instrument, []).name));
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
