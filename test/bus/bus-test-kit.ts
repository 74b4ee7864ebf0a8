/** Small helpers shared by the bus suites: polling, unique names, message builders, collecting deliveries. */
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { createRootLogger, type Logger } from '../../src/logging/logger.js';
import type { BusMessage, Delivery, EventBus } from '../../src/bus/event-bus.js';

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls until `condition` holds; fails with `what` after `timeoutMs`. */
export async function waitFor(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(10);
  }
}

/** A name no other test (or earlier run in the same vhost) uses. */
export function unique(label: string): string {
  return `${label}-${randomBytes(4).toString('hex')}`;
}

export function message(id: string, routingKey: string, body: unknown = { id }, priority?: number): BusMessage {
  return { id, type: 'test.event', routingKey, body, ...(priority === undefined ? {} : { priority }) };
}

/** Consumes `queue` until `count` deliveries arrived, waits `settleMs` for unexpected extras, then stops. */
export async function collect(bus: EventBus, queue: string, count: number, settleMs = 100): Promise<Delivery[]> {
  const received: Delivery[] = [];
  const consumer = await bus.consume(queue, async (delivery) => {
    received.push(delivery);
  }, { prefetch: 1 });
  await waitFor(`${count} deliveries on ${queue}`, () => received.length >= count);
  await sleep(settleMs);
  await consumer.stop();
  return received;
}

/** A promise to open later: holds handlers in flight until the test says so. */
export function gate(): { opened: Promise<void>; open(): void } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

/** A real JSON-lines logger whose lines the test can read back. */
export function capturingLogger(): { logger: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const line of chunk.toString().split('\n')) if (line.trim()) lines.push(JSON.parse(line) as Record<string, unknown>);
      callback();
    },
  });
  return { logger: createRootLogger({ stream, level: 'debug' }), lines };
}
