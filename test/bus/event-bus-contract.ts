/**
 * The behaviour every EventBus adapter must show. Each adapter's test file calls
 * `describeEventBusContract` with a way to open its bus; every test uses its own queue names
 * and routing-key namespace, so tests never see each other's messages on a shared broker.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PermanentFailure, type Delivery, type EventBus, type QueueDefinition } from '../../src/bus/event-bus.js';
import { BusTopologyError, InvalidBusMessageError, UnknownQueueError } from '../../src/bus/bus-errors.js';
import { collect, gate, message, sleep, unique, waitFor } from './bus-test-kit.js';

export function describeEventBusContract(openBus: () => Promise<EventBus>): void {
  let bus: EventBus;
  let ns: string;

  beforeEach(async () => {
    bus = await openBus();
    ns = unique('ns');
  });
  afterEach(async () => {
    await bus.close();
  });

  async function declare(label: string, bindings: string[], extra: Partial<QueueDefinition> = {}): Promise<string> {
    const name = unique(`contract.${label}`);
    await bus.declareQueue({ name, bindings: bindings.map((b) => `${ns}.${b}`), retryDelaysMs: [], ...extra });
    return name;
  }

  describe('routing', () => {
    it('routes each message to the queues whose topic patterns match (* one word, # zero or more)', async () => {
      const star = await declare('star', ['file.*.l2']);
      const hash = await declare('hash', ['file.#']);
      const exact = await declare('exact', ['job.requested']);
      const middle = await declare('middle', ['#.l2']);
      const keys = ['file.mms1.l2', 'file.mms1.fgm.l2', 'file', 'job.requested', 'job.requested.extra', 'other.thing'];
      await bus.publish(keys.map((k) => message(k, `${ns}.${k}`)));

      const idsOf = async (queue: string, count: number): Promise<string[]> => (await collect(bus, queue, count)).map((d) => d.id).sort();
      expect(await idsOf(star, 1)).toEqual(['file.mms1.l2']);
      expect(await idsOf(hash, 3)).toEqual(['file', 'file.mms1.fgm.l2', 'file.mms1.l2']);
      expect(await idsOf(exact, 1)).toEqual(['job.requested']);
      expect(await idsOf(middle, 2)).toEqual(['file.mms1.fgm.l2', 'file.mms1.l2']);
    });

    it('keeps messages published before any consumer in the queue, in order, until one comes', async () => {
      const queue = await declare('early', ['early.#']);
      await bus.publish([1, 2, 3].map((n) => message(`m${n}`, `${ns}.early.x`)));
      expect(await bus.queueDepth(queue)).toBe(3);

      const received = await collect(bus, queue, 3);
      expect(received.map((d) => d.id)).toEqual(['m1', 'm2', 'm3']);
      expect(await bus.queueDepth(queue)).toBe(0);
    });

    it('drops a message whose routing key matches no queue, as an exchange without a binding does', async () => {
      const queue = await declare('unmatched', ['wanted.#']);
      await bus.publish([message('lost', `${ns}.unwanted.x`)]);
      expect(await bus.queueDepth(queue)).toBe(0);
    });
  });

  describe('acknowledgement, retry and dead letters', () => {
    it('acknowledges a message whose handler resolves: delivered once with its fields, not redelivered, not dead', async () => {
      const queue = await declare('ack', ['ack.#'], { retryDelaysMs: [20] });
      const received: Delivery[] = [];
      const consumer = await bus.consume(queue, async (d) => {
        received.push(d);
      }, { prefetch: 5 });
      await bus.publish([{ id: 'a1', type: 'file.ingested', routingKey: `${ns}.ack.mms1`, body: { name: 'x.cdf', size: 3 } }]);
      await waitFor('the delivery', () => received.length === 1);
      await sleep(200);
      await consumer.stop();

      expect(received).toEqual([{ id: 'a1', type: 'file.ingested', routingKey: `${ns}.ack.mms1`, body: { name: 'x.cdf', size: 3 }, priority: 0, attempt: 1 }]);
      expect(await bus.queueDepth(queue)).toBe(0);
      expect(await bus.takeDeadLetters(queue, 10)).toEqual([]);
    });

    it('retries a failing message after each configured delay, counting attempts', async () => {
      const delays = [40, 120];
      const queue = await declare('retry', ['retry.#'], { retryDelaysMs: delays });
      const seen: { attempt: number; at: number; body: unknown }[] = [];
      const consumer = await bus.consume(queue, async (d) => {
        seen.push({ attempt: d.attempt, at: performance.now(), body: d.body });
        if (d.attempt < 3) throw new Error(`transient failure ${d.attempt}`);
      }, { prefetch: 1 });
      await bus.publish([message('r1', `${ns}.retry.x`, { n: 1 })]);
      await waitFor('the third attempt', () => seen.length === 3);
      await sleep(150);
      await consumer.stop();

      expect(seen.map((s) => s.attempt)).toEqual([1, 2, 3]);
      expect(seen.every((s) => JSON.stringify(s.body) === '{"n":1}')).toBe(true);
      expect(seen[1]!.at - seen[0]!.at).toBeGreaterThanOrEqual(delays[0]! - 5);
      expect(seen[2]!.at - seen[1]!.at).toBeGreaterThanOrEqual(delays[1]! - 5);
      expect(await bus.takeDeadLetters(queue, 10)).toEqual([]);
    });

    it('dead-letters a message when its last attempt fails, with the reason of that failure', async () => {
      const queue = await declare('dead', ['dead.#'], { retryDelaysMs: [20] });
      let calls = 0;
      const consumer = await bus.consume(queue, async (d) => {
        calls++;
        throw new Error(`disk full on attempt ${d.attempt}`);
      }, { prefetch: 1 });
      await bus.publish([message('d1', `${ns}.dead.mms2`, { file: 'a.cdf' }, 3)]);

      const letters = await takeDeadLettersEventually(bus, queue, 1);
      await consumer.stop();
      expect(calls).toBe(2);
      expect(letters).toHaveLength(1);
      expect(letters[0]).toMatchObject({ id: 'd1', type: 'test.event', routingKey: `${ns}.dead.mms2`, body: { file: 'a.cdf' }, attempt: 2 });
      expect(letters[0]!.reason).toContain('disk full on attempt 2');
      expect(await bus.takeDeadLetters(queue, 10)).toEqual([]);
    });

    it('dead-letters a PermanentFailure at once, without retrying', async () => {
      const queue = await declare('permanent', ['permanent.#'], { retryDelaysMs: [20, 20] });
      let calls = 0;
      const consumer = await bus.consume(queue, async () => {
        calls++;
        throw new PermanentFailure('input file is not a CDF');
      }, { prefetch: 1 });
      await bus.publish([message('p1', `${ns}.permanent.x`)]);

      const letters = await takeDeadLettersEventually(bus, queue, 1);
      await sleep(150);
      await consumer.stop();
      expect(calls).toBe(1);
      expect(letters[0]).toMatchObject({ id: 'p1', attempt: 1 });
      expect(letters[0]!.reason).toMatch(/PermanentFailure: input file is not a CDF/);
    });

    it('gives each attempt the message as published, whatever an earlier handler did to its copy', async () => {
      const queue = await declare('copy', ['copy.#'], { retryDelaysMs: [10] });
      const body = { files: ['a.cdf'] };
      const bodies: unknown[] = [];
      const consumer = await bus.consume<{ files: string[] }>(queue, async (d) => {
        bodies.push(structuredClone(d.body));
        d.body.files.push('mutated-by-handler');
        if (d.attempt === 1) throw new Error('first attempt fails');
      }, { prefetch: 1 });
      await bus.publish([message('c1', `${ns}.copy.x`, body)]);
      body.files.push('mutated-by-publisher');
      await waitFor('two attempts', () => bodies.length === 2);
      await consumer.stop();
      expect(bodies).toEqual([{ files: ['a.cdf'] }, { files: ['a.cdf'] }]);
    });
  });

  describe('publishing', () => {
    it('resolves publish only once every message is stored in its queue', async () => {
      const queue = await declare('confirm', ['confirm.#']);
      await bus.publish(Array.from({ length: 200 }, (_, i) => message(`c${i}`, `${ns}.confirm.x`)));
      expect(await bus.queueDepth(queue)).toBe(200);
    });

    it('rejects a batch holding a message it cannot send, and sends none of the batch', async () => {
      const queue = await declare('invalid', ['invalid.#']);
      const good = message('good', `${ns}.invalid.x`);
      await expect(bus.publish([good, message('bigint', `${ns}.invalid.x`, { size: 10n })])).rejects.toThrow(InvalidBusMessageError);
      await expect(bus.publish([good, { ...good, id: 'undefined', body: undefined }])).rejects.toThrow(/cannot be serialized as JSON/);
      await expect(bus.publish([good, message('loud', `${ns}.invalid.x`, {}, 12)])).rejects.toThrow(/priority 12/);
      await expect(bus.publish([good, { ...good, id: '' }])).rejects.toThrow(/no id/);
      expect(await bus.queueDepth(queue)).toBe(0);
    });
  });

  describe('consumers', () => {
    it('never runs more handlers at once than the prefetch', async () => {
      const queue = await declare('prefetch', ['prefetch.#']);
      let active = 0;
      let most = 0;
      let done = 0;
      await bus.publish(Array.from({ length: 15 }, (_, i) => message(`p${i}`, `${ns}.prefetch.x`)));
      const consumer = await bus.consume(queue, async () => {
        active++;
        most = Math.max(most, active);
        await sleep(30);
        active--;
        done++;
      }, { prefetch: 3 });
      await waitFor('15 handled', () => done === 15);
      await consumer.stop();
      expect(most).toBe(3);
    });

    it('shares a queue between competing consumers: each gets some, together every message exactly once', async () => {
      const queue = await declare('compete', ['compete.#']);
      const byConsumer: string[][] = [[], []];
      const consumers = await Promise.all(
        byConsumer.map((ids) => bus.consume(queue, async (d) => {
          ids.push(d.id);
          await sleep(5);
        }, { prefetch: 1 })),
      );
      const sent = Array.from({ length: 40 }, (_, i) => `m${String(i).padStart(2, '0')}`);
      await bus.publish(sent.map((id) => message(id, `${ns}.compete.x`)));
      await waitFor('40 handled', () => byConsumer[0]!.length + byConsumer[1]!.length >= 40);
      await sleep(100);
      await Promise.all(consumers.map((c) => c.stop()));

      expect(byConsumer[0]!.length).toBeGreaterThan(0);
      expect(byConsumer[1]!.length).toBeGreaterThan(0);
      expect([...byConsumer[0]!, ...byConsumer[1]!].sort()).toEqual(sent);
    });

    it('delivers higher priorities first on a queue with a priority range, first in first out within one, above the range as its top', async () => {
      const queue = await declare('priority', ['priority.#'], { maxPriority: 5 });
      await bus.publish([1, 2, 3].map((n) => message(`low${n}`, `${ns}.priority.x`, {}, 1)));
      await bus.publish([1, 2, 3].map((n) => message(`high${n}`, `${ns}.priority.x`, {}, 5)));
      await bus.publish([message('above-range', `${ns}.priority.x`, {}, 9), message('middle', `${ns}.priority.x`, {}, 3)]);
      const order = (await collect(bus, queue, 8)).map((d) => d.id);
      expect(order).toEqual(['high1', 'high2', 'high3', 'above-range', 'middle', 'low1', 'low2', 'low3']);
    });

    it('ignores priorities on a queue without a priority range', async () => {
      const queue = await declare('fifo', ['fifo.#']);
      await bus.publish([message('first', `${ns}.fifo.x`, {}, 1), message('second', `${ns}.fifo.x`, {}, 9)]);
      expect((await collect(bus, queue, 2)).map((d) => d.id)).toEqual(['first', 'second']);
    });

    it('stop() takes no new deliveries and resolves only when the handlers in flight have finished', async () => {
      const queue = await declare('stop', ['stop.#']);
      const release = gate();
      let started = 0;
      let finished = 0;
      const consumer = await bus.consume(queue, async () => {
        started++;
        await release.opened;
        finished++;
      }, { prefetch: 2 });
      await bus.publish(Array.from({ length: 5 }, (_, i) => message(`s${i}`, `${ns}.stop.x`)));
      await waitFor('two handlers in flight', () => started === 2);

      let stopped = false;
      const stopping = consumer.stop().then(() => (stopped = true));
      await sleep(100);
      expect(stopped).toBe(false);
      release.open();
      await stopping;
      expect(finished).toBe(2);
      await sleep(150);
      expect(started).toBe(2);
      expect(await bus.queueDepth(queue)).toBe(3);
    });
  });

  describe('queues', () => {
    it('counts ready messages with queueDepth and reports an undeclared queue as UnknownQueueError', async () => {
      const queue = await declare('depth', ['depth.#']);
      expect(await bus.queueDepth(queue)).toBe(0);
      await bus.publish([message('x1', `${ns}.depth.x`), message('x2', `${ns}.depth.y`)]);
      expect(await bus.queueDepth(queue)).toBe(2);

      const missing = unique('contract.missing');
      await expect(bus.queueDepth(missing)).rejects.toThrow(UnknownQueueError);
      await expect(bus.takeDeadLetters(missing, 1)).rejects.toThrow(UnknownQueueError);
      await expect(bus.consume(missing, async () => undefined, { prefetch: 1 })).rejects.toThrow(UnknownQueueError);
    });

    it('declares idempotently, and refuses a redeclaration with another priority range or an invalid definition', async () => {
      const name = unique('contract.redeclare');
      const definition = { name, bindings: [`${ns}.redeclare.#`], retryDelaysMs: [10], maxPriority: 2 };
      await bus.declareQueue(definition);
      await bus.declareQueue(definition);
      await bus.publish([message('once', `${ns}.redeclare.x`)]);
      expect(await bus.queueDepth(name)).toBe(1);

      await expect(bus.declareQueue({ ...definition, maxPriority: 3 })).rejects.toThrow(BusTopologyError);
      await expect(bus.declareQueue({ ...definition, name: unique('contract.bad'), retryDelaysMs: [-1] })).rejects.toThrow(BusTopologyError);
      await expect(bus.consume(name, async () => undefined, { prefetch: 0 })).rejects.toThrow(BusTopologyError);
    });

    it('describes itself without credentials and answers ping', async () => {
      expect(bus.description).not.toMatch(/guest:|:guest@/);
      await expect(bus.ping()).resolves.toBeUndefined();
    });
  });
}

/** Dead letters arrive asynchronously (after the last attempt's failure is handled): poll for them. */
export async function takeDeadLettersEventually(bus: EventBus, queue: string, count: number) {
  const letters: Awaited<ReturnType<EventBus['takeDeadLetters']>> = [];
  await waitFor(`${count} dead letter(s) of ${queue}`, async () => {
    letters.push(...(await bus.takeDeadLetters(queue, count - letters.length)));
    return letters.length >= count;
  });
  return letters;
}
