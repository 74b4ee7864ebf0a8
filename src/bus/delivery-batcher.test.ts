import { describe, expect, it } from 'vitest';
import { batchDeliveries } from './delivery-batcher.js';
import type { Delivery } from './event-bus.js';

const delivery = (id: string): Delivery<{ n: string }> => ({ id, type: 't', routingKey: 't', body: { n: id }, attempt: 1 });

describe('batchDeliveries', () => {
  it('hands deliveries that arrive together over as one batch, and those arriving during a batch as the next', async () => {
    const batches: string[][] = [];
    let release!: () => void;
    const firstHeld = new Promise<void>((resolve) => (release = resolve));
    const handler = batchDeliveries<{ n: string }>(async (ds) => {
      batches.push(ds.map((d) => d.id));
      if (batches.length === 1) await firstHeld;
    }, 10);
    const first = [handler(delivery('a')), handler(delivery('b'))];
    await new Promise((resolve) => setImmediate(resolve));
    const later = [handler(delivery('c')), handler(delivery('d')), handler(delivery('e'))];
    release();
    await Promise.all([...first, ...later]);
    expect(batches).toEqual([['a', 'b'], ['c', 'd', 'e']]);
  });

  it('splits what it holds into batches of at most maxBatch', async () => {
    const sizes: number[] = [];
    const handler = batchDeliveries<{ n: string }>(async (ds) => void sizes.push(ds.length), 2);
    await Promise.all(['a', 'b', 'c', 'd', 'e'].map((id) => handler(delivery(id))));
    expect(sizes).toEqual([2, 2, 1]);
  });

  it('retries a failed batch one delivery at a time, so only the bad delivery fails', async () => {
    const calls: string[][] = [];
    const handler = batchDeliveries<{ n: string }>(async (ds) => {
      calls.push(ds.map((d) => d.id));
      if (ds.some((d) => d.id === 'bad')) throw new Error('bad message');
    }, 10);
    const results = await Promise.allSettled(['a', 'bad', 'c'].map((id) => handler(delivery(id))));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toEqual(new Error('bad message'));
    expect(calls).toEqual([['a', 'bad', 'c'], ['a'], ['bad'], ['c']]);
  });
});
