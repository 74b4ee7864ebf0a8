/**
 * Events published by their transaction's owner right after the commit (the hot paths' way),
 * with the outbox as the safety net: delivered once, their rows deleted; left to the relay for
 * the owner's grace, then published by it when the owner died or the broker refused them.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openSdc, type Sdc } from '../../src/app/open-sdc.js';
import type { Consumer } from '../../src/bus/event-bus.js';
import { createEventBus } from '../../src/bus/create-event-bus.js';
import { addToOutbox, transactionPublishingEvents, type CommittedEventPublisher } from '../../src/catalog/outbox.js';
import { loadConfig } from '../../src/config/load-config.js';
import { OutboxRelay } from '../../src/events/outbox-relay.js';
import { backends } from '../support/backends.js';
import { quietLogger } from '../support/test-sdc.js';

const GRACE_MS = 600;
const QUEUE = 'test.owner-published';

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`events published by their owner on ${backend.name}`, () => {
    let sdc: Sdc;
    let release: () => Promise<void>;
    let relay: OutboxRelay;
    let consumer: Consumer;
    let received: string[];

    beforeAll(async () => {
      const resources = await backend.provision();
      release = resources.release;
      sdc = await openSdc(await loadConfig({ env: {}, overrides: resources.config }), { logger: quietLogger() });
      await sdc.bus.declareQueue({ name: QUEUE, bindings: ['test.owned.#'], retryDelaysMs: [] });
      consumer = await sdc.bus.consume<{ n: number }>(QUEUE, async (d) => void received.push(d.id), { prefetch: 10 });
    });
    afterAll(async () => {
      await consumer?.stop();
      await sdc?.stop();
      await release?.();
    });
    beforeEach(async () => {
      received = [];
      relay = new OutboxRelay(sdc.catalog.db, sdc.bus, quietLogger(), { pollMs: 50, ownerGraceMs: GRACE_MS });
      relay.start();
      return async () => relay.stop();
    });

    const commitEvents = (publisher: CommittedEventPublisher | undefined, count: number) =>
      transactionPublishingEvents(sdc.catalog.db, publisher, (trx) => addToOutbox(trx, Array.from({ length: count }, (_, n) => ({ type: 'test.owned', routingKey: `test.owned.${n}`, body: { n } }))));
    const outboxIds = async () => (await sdc.catalog.db.selectFrom('outbox').select('message_id').execute()).map((r) => r.message_id);
    const deliveredOnce = async (ids: string[]) => {
      for (let i = 0; i < 100 && received.length < ids.length; i++) await sleep(20);
      expect([...received].sort()).toEqual([...ids].sort());
    };

    it('when the owner publishes after the commit, then each event is delivered once and its row deleted, and the relay sends none again', async () => {
      const ids = await commitEvents(relay, 3);
      await relay.flush();
      expect(await outboxIds()).toEqual([]);
      await deliveredOnce(ids);
      await sleep(GRACE_MS + 200);
      expect(received).toHaveLength(3);
    });

    it('when the owner dies after the commit, then the relay leaves its events alone for the grace and then publishes them once', async () => {
      const diedAfterCommit: CommittedEventPublisher = { accepting: true, ownerGraceMs: GRACE_MS, publishCommitted: () => undefined };
      const ids = await commitEvents(diedAfterCommit, 2);
      await sleep(GRACE_MS / 3);
      expect(received).toEqual([]);
      expect((await outboxIds()).sort()).toEqual([...ids].sort());
      await deliveredOnce(ids);
      await relay.flush();
      expect(await outboxIds()).toEqual([]);
    });

    it('when the broker refuses the owner, then the rows stay and the relay publishes them after the grace', async () => {
      const closedBus = await createEventBus(sdc.config.bus, quietLogger());
      await closedBus.close();
      const refused = new OutboxRelay(sdc.catalog.db, closedBus, quietLogger(), { ownerGraceMs: GRACE_MS });
      refused.start();
      const ids = await commitEvents(refused, 2);
      await refused.stop();
      expect((await outboxIds()).sort()).toEqual([...ids].sort());
      await deliveredOnce(ids);
    });

    it('when the publisher does not run yet, then the events are the relay\'s at once', async () => {
      const notStarted = new OutboxRelay(sdc.catalog.db, sdc.bus, quietLogger(), { ownerGraceMs: 60_000 });
      const ids = await commitEvents(notStarted, 1);
      await relay.flush();
      await deliveredOnce(ids);
    });
  });
}
