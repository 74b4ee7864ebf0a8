import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import amqp from 'amqplib';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Delivery } from '../../src/bus/event-bus.js';
import { AmqpEventBus } from '../../src/bus/amqp-event-bus.js';
import { createEventBus } from '../../src/bus/create-event-bus.js';
import { BusUnavailableError } from '../../src/bus/bus-errors.js';
import { createTestVhost, type TestVhost } from '../support/rabbitmq-vhost.js';
import { describeEventBusContract, takeDeadLettersEventually } from './event-bus-contract.js';
import { capturingLogger, message, sleep, unique, waitFor } from './bus-test-kit.js';

const { amqpUrl } = inject('services');

describe.skipIf(!amqpUrl)('AmqpEventBus on RabbitMQ', () => {
  let vhost: TestVhost;
  beforeAll(async () => {
    vhost = await createTestVhost(amqpUrl as string, 'bus');
  });
  afterAll(async () => {
    await vhost?.dispose();
  });

  describe('contract', () => {
    describeEventBusContract(() => AmqpEventBus.connect({ url: vhost.url }));
  });

  it('declares the topology on the broker: topic exchange, queue with dead-letter and priority arguments, a TTL retry queue per delay, a dead-letter queue', async () => {
    const bus = await AmqpEventBus.connect({ url: vhost.url, exchange: 'topology.events' });
    const name = unique('topology');
    await bus.declareQueue({ name, bindings: ['file.ingested.#'], retryDelaysMs: [30, 30, 900], maxPriority: 4 });
    await bus.close();

    const exchanges = await vhost.exchanges();
    expect(exchanges).toContainEqual({ name: 'topology.events', type: 'topic', durable: true });
    expect(exchanges).toContainEqual({ name: 'topology.events.dead', type: 'direct', durable: true });
    const queues = new Map((await vhost.queues()).filter((q) => q.name.startsWith(name)).map((q) => [q.name, q]));
    expect([...queues.keys()].sort()).toEqual([name, `${name}.dead`, `${name}.retry.30`, `${name}.retry.900`]);
    expect([...queues.values()].every((q) => q.durable)).toBe(true);
    expect(queues.get(name)?.arguments).toEqual({ 'x-dead-letter-exchange': 'topology.events.dead', 'x-dead-letter-routing-key': name, 'x-max-priority': 4 });
    expect(queues.get(`${name}.retry.900`)?.arguments).toEqual({ 'x-message-ttl': 900, 'x-dead-letter-exchange': '', 'x-dead-letter-routing-key': name });
    const bindings = (await vhost.bindings()).filter((b) => b.source_name !== '' && b.destination_name.startsWith(name));
    expect(bindings.map((b) => [b.source_name, b.destination_name, b.routing_key]).sort()).toEqual([
      ['topology.events', name, 'file.ingested.#'],
      ['topology.events.dead', `${name}.dead`, name],
    ]);
  });

  it('dead-letters a message whose body is not JSON, or that lacks a message id, without calling the handler', async () => {
    const bus = await AmqpEventBus.connect({ url: vhost.url });
    const name = unique('raw');
    await bus.declareQueue({ name, bindings: [`${name}.#`], retryDelaysMs: [10] });
    let calls = 0;
    const consumer = await bus.consume(name, async () => {
      calls++;
    }, { prefetch: 1 });

    // A foreign publisher: a plain amqplib client, the way a misbehaving tool would send.
    const raw = await amqp.connect(vhost.url);
    const channel = await raw.createConfirmChannel();
    channel.publish('sdc.events', `${name}.x`, Buffer.from('{"truncated": '), { messageId: 'raw-1', type: 'test.event', persistent: true });
    channel.publish('sdc.events', `${name}.x`, Buffer.from('{}'), { type: 'test.event', persistent: true });
    await channel.waitForConfirms();
    await raw.close();

    const letters = await takeDeadLettersEventually(bus, name, 2);
    await consumer.stop();
    await bus.close();
    expect(calls).toBe(0);
    const byId = new Map(letters.map((l) => [l.id, l]));
    expect(byId.get('raw-1')).toMatchObject({ body: '{"truncated": ', routingKey: `${name}.x`, attempt: 1 });
    expect(byId.get('raw-1')?.reason).toMatch(/message raw-1 body is not valid JSON/);
    expect(byId.get('')?.reason).toMatch(/no messageId/);
  });

  it('fails start-up with BusUnavailableError, without credentials in the message, when the broker is unreachable', async () => {
    const connecting = AmqpEventBus.connect({ url: 'amqp://guest:secret@127.0.0.1:1/', reconnect: { startupRetries: 1, initialDelayMs: 10 } });
    await expect(connecting).rejects.toThrow(BusUnavailableError);
    await expect(connecting).rejects.not.toThrow(/secret/);
  });

  it('is what createEventBus builds for { kind: "amqp" }, described by its URL without credentials', async () => {
    const bus = await createEventBus({ kind: 'amqp', url: vhost.url, exchange: 'factory.events' });
    expect(bus).toBeInstanceOf(AmqpEventBus);
    expect(bus.description).toBe(`amqp://127.0.0.1:5672/${vhost.name}`);
    await bus.close();
    expect((await vhost.exchanges()).map((e) => e.name)).toContain('factory.events');
  });

  it('rejects publish with BusUnavailableError after the bounded wait during an outage, and redeclares the topology when the broker is back', async () => {
    const outage = await createTestVhost(amqpUrl as string, 'outage');
    const bus = await AmqpEventBus.connect({ url: outage.url, publishTimeoutMs: 500, reconnect: { initialDelayMs: 50, maxDelayMs: 200 } });
    try {
      await bus.declareQueue({ name: 'outage.q', bindings: ['outage.#'], retryDelaysMs: [] });
      await outage.remove();
      await waitFor('the bus to see the outage', () => bus.ping().then(() => false, () => true));

      const started = Date.now();
      await expect(bus.publish([message('during', 'outage.x')])).rejects.toThrow(BusUnavailableError);
      expect(Date.now() - started).toBeLessThan(3000);
      await expect(bus.ping()).rejects.toThrow(BusUnavailableError);

      await outage.restore();
      await waitFor('the bus to reconnect', () => bus.ping().then(() => true, () => false), 20_000);
      await bus.publish([message('after', 'outage.x')]);
      // The vhost came back empty: the message is only there because the bus declared the queue again.
      expect(await bus.queueDepth('outage.q')).toBe(1);
    } finally {
      await bus.close();
      await outage.dispose();
    }
  });

  it('survives its connection being closed by the broker: consumers resume and every published message is handled', async () => {
    const { logger, lines } = capturingLogger();
    const bus = await AmqpEventBus.connect({ url: vhost.url, logger, publishTimeoutMs: 30_000, reconnect: { initialDelayMs: 50, maxDelayMs: 500 } });
    const name = unique('killed');
    await bus.declareQueue({ name, bindings: [`${name}.#`], retryDelaysMs: [20] });
    const handled = new Map<string, number>();
    const consumer = await bus.consume(name, async (d) => {
      handled.set(d.id, (handled.get(d.id) ?? 0) + 1);
      await sleep(2);
    }, { prefetch: 20 });
    const sent: string[] = [];
    const publishBatch = async (): Promise<void> => {
      const batch = Array.from({ length: 50 }, (_, i) => `k${sent.length + i}`);
      await bus.publish(batch.map((id) => message(id, `${name}.x`)));
      sent.push(...batch);
    };

    while (sent.length < 200) await publishBatch();
    await waitFor('the first handled messages', () => handled.size >= 50);
    // Publish back to back while the broker closes the connection, so batches are cut mid-confirm.
    let killed = false;
    const killing = vhost.closeConnections('test: connection closed under the bus').then(() => (killed = true));
    while (!killed) await publishBatch();
    await killing;
    for (let i = 0; i < 4; i++) await publishBatch();
    await waitFor('every message handled', () => sent.every((id) => handled.has(id)), 30_000);
    await consumer.stop();
    await bus.close();

    const messages = lines.map((l) => l.message);
    expect(messages).toContain('bus connection lost; reconnecting');
    expect(messages.filter((m) => m === 'bus connected').length).toBeGreaterThanOrEqual(2);
    expect(messages).toContain('bus topology and consumers restored');
    expect(sent.filter((id) => !handled.has(id))).toEqual([]);
  });

  it('redelivers the message of a worker killed with SIGKILL mid-handler to another consumer, keeping its attempt number', async () => {
    const bus = await AmqpEventBus.connect({ url: vhost.url });
    const name = unique('sigkill');
    const binding = `${name}.#`;
    await bus.declareQueue({ name, bindings: [binding], retryDelaysMs: [20] });
    const worker = spawn(process.execPath, ['--import', 'tsx', 'test/bus/fixtures/amqp-stalling-worker.ts', vhost.url, name, binding], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const events = jsonLines(worker);
      await waitFor('the worker to be ready', () => events.some((e) => e.ready === true), 30_000);
      await bus.publish([message('victim', `${name}.x`, { file: 'b.cdf' })]);
      await waitFor('the worker to be handling the second attempt', () => events.some((e) => e.handling === 'victim' && e.attempt === 2));

      const received: Delivery[] = [];
      const consumer = await bus.consume(name, async (d) => {
        received.push(d);
      }, { prefetch: 1 });
      await sleep(200);
      expect(received).toEqual([]);

      const exited = new Promise((resolve) => worker.once('exit', (_code, signal) => resolve(signal)));
      worker.kill('SIGKILL');
      expect(await exited).toBe('SIGKILL');
      await waitFor('the redelivery', () => received.length === 1);
      await consumer.stop();
      expect(received[0]).toMatchObject({ id: 'victim', body: { file: 'b.cdf' }, attempt: 2 });
    } finally {
      worker.kill('SIGKILL');
      await bus.close();
    }
  });
});

/** The JSON lines a child prints on stdout, as they arrive. */
function jsonLines(child: ChildProcess): Record<string, unknown>[] {
  const events: Record<string, unknown>[] = [];
  createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
    if (line.startsWith('{')) events.push(JSON.parse(line) as Record<string, unknown>);
  });
  return events;
}
