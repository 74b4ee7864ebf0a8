/**
 * Crash safety of ingest: a process killed between the catalog commit and the publish leaves
 * the event in the outbox; the next start publishes it exactly once, once the grace the relay
 * gives the event's owner has passed, and never again.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { openSdc, type Sdc } from '../src/app/open-sdc.js';
import type { Delivery } from '../src/bus/event-bus.js';
import { loadConfig } from '../src/config/load-config.js';
import type { FileIngestedEvent } from '../src/events/event-types.js';
import { backends } from './support/backends.js';
import { quietLogger } from './support/test-sdc.js';

const run = promisify(execFile);

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`ingest crash between commit and publish on ${backend.name}`, () => {
    let dataDir: string;
    let overrides: Record<string, unknown>;
    let release: () => Promise<void>;

    beforeAll(async () => {
      const resources = await backend.provision();
      release = resources.release;
      dataDir = await mkdtemp(path.join(os.tmpdir(), 'sdc-crash-'));
      const catalog = resources.config.catalog?.kind === 'pglite' ? { kind: 'pglite', dataDir: path.join(dataDir, 'catalog') } : resources.config.catalog;
      overrides = { ...resources.config, catalog, dataDir, store: { kind: 'folder', root: path.join(dataDir, 'store') } };
    });
    afterAll(async () => {
      await release?.();
      await rm(dataDir, { recursive: true, force: true });
    });

    it('when the process is killed after the commit, then the next start publishes the event exactly once', async () => {
      const file = path.join(dataDir, 'mms1_fgm_srvy_l0_20151016_v0.0.0.dat');
      await writeFile(file, 'telemetry');
      const ownerGraceMs = 500;
      const child = run(process.execPath, ['--import', 'tsx', 'test/support/crash-after-commit.ts', JSON.stringify({ overrides, file, ownerGraceMs })]);
      await expect(child).rejects.toMatchObject({ signal: 'SIGKILL' });

      const received: Delivery<FileIngestedEvent>[] = [];
      for (let start = 1; start <= 2; start++) {
        const sdc = await openSdc(await loadConfig({ env: {}, overrides }), { logger: quietLogger() });
        if (start === 1) {
          const rows = await sdc.catalog.db.selectFrom('files').select('name').execute();
          expect(rows).toEqual([{ name: path.basename(file) }]);
          // The event was its owner's to publish: the relay leaves it alone for the grace.
          const [event] = await sdc.catalog.db.selectFrom('outbox').select(['created_at', 'relay_after']).execute();
          expect(event!.relay_after.getTime() - event!.created_at.getTime()).toBeGreaterThanOrEqual(ownerGraceMs);
          await waitUntilRelayable(sdc);
        }
        await sdc.bus.declareQueue({ name: 'test.crash.observer', bindings: ['file.ingested.#'], retryDelaysMs: [] });
        const consumer = await sdc.bus.consume<FileIngestedEvent>('test.crash.observer', async (d) => void received.push(d), { prefetch: 10 });
        await sdc.relay.flush();
        await new Promise((resolve) => setTimeout(resolve, 300));
        await consumer.stop();
        const outbox = await sdc.catalog.db.selectFrom('outbox').selectAll().execute();
        expect(outbox).toEqual([]);
        await sdc.stop();
      }
      expect(received.map((d) => d.body.name)).toEqual([path.basename(file)]);
    });
  });
}

/** Waits until the outbox holds no event the relay must still leave alone. */
async function waitUntilRelayable(sdc: Sdc): Promise<void> {
  for (;;) {
    const waiting = await sdc.catalog.db.selectFrom('outbox').select('id').where('relay_after', '>', sql<Date>`now()`).execute();
    if (waiting.length === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
