/**
 * A process that only serves the API (no worker has ever run on this broker) must not publish
 * arrivals into nothing: its relay starts once the queues of the SDC's consumers exist, so an
 * upload's event waits in the trigger queue for the first worker.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openSdc, type Sdc } from '../../src/app/open-sdc.js';
import { loadConfig } from '../../src/config/load-config.js';
import { triggerQueue } from '../../src/jobs/trigger-consumer.js';
import { ingestAttitudeFiles } from '../archive/archive-test-files.js';
import { backends } from '../support/backends.js';
import { quietLogger } from '../support/test-sdc.js';

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`the relay of an API-only process on ${backend.name}`, () => {
    let sdc: Sdc;
    let dir: string;
    let release: () => Promise<void>;

    beforeAll(async () => {
      const resources = await backend.provision();
      release = resources.release;
      dir = await mkdtemp(path.join(os.tmpdir(), 'sdc-relay-queues-'));
      sdc = await openSdc(await loadConfig({ env: {}, overrides: { ...resources.config, dataDir: dir, api: { port: 0 }, log: { level: 'error' } } }), { logger: quietLogger() });
      await sdc.startApi();
    });
    afterAll(async () => {
      await sdc?.stop();
      await release?.();
      await rm(dir, { recursive: true, force: true });
    });

    it('when a file arrives before any worker started, then its event waits in the trigger queue', async () => {
      await ingestAttitudeFiles(sdc, path.join(dir, 'in'), 1);
      sdc.relay.wake();
      await vi.waitFor(async () => expect(await sdc.catalog.db.selectFrom('outbox').select('id').execute()).toHaveLength(0), { timeout: 10_000 });
      expect(await sdc.bus.queueDepth(triggerQueue(sdc.mission.config.id).name)).toBe(1);
    });
  });
}
