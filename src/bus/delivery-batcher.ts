import type { Delivery, Handler } from './event-bus.js';

/**
 * Turns a handler of many deliveries at once into a per-delivery handler for `consume`. The
 * deliveries a consumer holds (up to its prefetch) are handed over together, one batch at a
 * time: those that arrive while a batch runs form the next one, so a burst costs one
 * transaction per batch rather than one per message, and a lone message waits for nobody.
 * Each delivery is acknowledged when its batch succeeds. When a batch of several fails, each
 * of its deliveries is handled again alone, so one bad message fails only itself and is retried
 * (or dead-lettered) on its own.
 */
export function batchDeliveries<T>(handleBatch: (deliveries: Delivery<T>[]) => Promise<void>, maxBatch: number): Handler<T> {
  let pending: { delivery: Delivery<T>; settle: (error?: unknown) => void }[] = [];
  let running = false;

  const settleAll = async (batch: typeof pending): Promise<void> => {
    try {
      await handleBatch(batch.map((p) => p.delivery));
      for (const p of batch) p.settle();
    } catch (error) {
      if (batch.length === 1) return batch[0]!.settle(error);
      for (const p of batch) await settleAll([p]);
    }
  };

  const drain = async (): Promise<void> => {
    running = true;
    while (pending.length > 0) {
      const batch = pending.slice(0, maxBatch);
      pending = pending.slice(batch.length);
      await settleAll(batch);
    }
    running = false;
  };

  return (delivery) => new Promise<void>((resolve, reject) => {
    pending.push({ delivery, settle: (error) => (error === undefined ? resolve() : reject(error)) });
    // Deliveries that came in the same read of the socket join this first batch.
    if (!running) setImmediate(() => void (running || drain()));
  });
}
