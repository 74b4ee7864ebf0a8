/**
 * Upgrading a site from per-tier job queues (`sdc.<mission>.jobs.<tier>`) to queues per tier and
 * instrument: new job messages no longer reach the old queue, and a worker taking every instrument
 * drains what was left in it, each job still running once.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { JOB_REQUESTED } from '../../src/events/event-types.js';
import { legacyJobQueue } from '../../src/jobs/job-worker.js';
import { backends } from '../support/backends.js';
import { startTestSdc, type TestSdc } from '../support/test-sdc.js';

const DUO = path.resolve('test/operations/fixtures/duo');
let ledgerDir: string;
let ledger: string;
const cleanups: (() => Promise<void>)[] = [];

beforeAll(async () => {
  ledgerDir = await mkdtemp(path.join(os.tmpdir(), 'sdc-legacy-queue-'));
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});
afterAll(async () => {
  delete process.env.DUO_LEDGER;
  await rm(ledgerDir, { recursive: true, force: true });
});

describe.each(backends())('the former per-tier job queue ($name)', (backend) => {
  it.skipIf(!backend.available)('when it still holds a job message, then new job messages bypass it, a worker of some instruments leaves it, and a worker of every instrument drains it, running the job once', async () => {
    ledger = path.join(ledgerDir, `${backend.name}.txt`);
    // The processors are run by this process; they note their runs here.
    process.env.DUO_LEDGER = ledger;
    const t: TestSdc = await startTestSdc(backend, { mission: DUO });
    cleanups.push(() => t.close());
    const { bus } = t.sdc;
    // What the previous release left on the broker: the per-tier queue and its binding.
    const legacy = legacyJobQueue('duo', 'production', [200]);
    await bus.declareQueue({ ...legacy, bindings: ['job.requested.duo.production.#'] });

    const drop = path.join(t.dataDir, 'arrivals');
    await mkdir(drop, { recursive: true });
    const name = 'DUO-S1-ION-RAW-2020-03-01-R1.txt';
    await writeFile(path.join(drop, name), 'ion\n');
    expect((await t.sdc.ingest.ingest({ path: path.join(drop, name), name, source: 'drop' })).status).toBe('ingested');
    await t.sdc.startProcessing([], { triggers: true });
    t.sdc.relay.wake();
    const ionQueue = 'sdc.duo.jobs.production.ion';
    await vi.waitFor(async () => expect(await bus.queueDepth(ionQueue)).toBe(1), { timeout: 10_000 });
    // The new message went to the instrument's queue only.
    expect(await bus.queueDepth(legacy.name)).toBe(0);
    const job = await t.sdc.catalog.db.selectFrom('jobs').selectAll().executeTakeFirstOrThrow();

    // Make it a job queued before the upgrade: its only message is in the old queue, as the
    // previous release wrote it (no instrument in the key or the body).
    let taken = 0;
    const remover = await bus.consume(ionQueue, async () => void taken++, { prefetch: 1 });
    await vi.waitFor(() => expect(taken).toBe(1));
    await remover.stop();
    const old = { jobId: job.id, mission: 'duo', processor: 'ion-cal', processorVersion: '0.1.0', tier: 'production' };
    await bus.publish([{ id: 'legacy-1', type: JOB_REQUESTED, routingKey: 'job.requested.duo.production.ion-cal', body: old, priority: 5 }]);
    expect(await bus.queueDepth(legacy.name)).toBe(1);
    expect(await bus.queueDepth(ionQueue)).toBe(0);

    // A worker restricted to some instruments cannot tell whose job an old message holds: it leaves the old queue alone.
    await t.sdc.startProcessing(['production'], { triggers: false, instruments: ['ion'] });
    await sleep(300);
    expect(await bus.queueDepth(legacy.name)).toBe(1);
    expect((await t.sdc.catalog.db.selectFrom('jobs').select('state').where('id', '=', job.id).executeTakeFirstOrThrow()).state).toBe('queued');

    await t.sdc.startProcessing(['production'], { triggers: false });
    await vi.waitFor(async () => {
      expect(await bus.queueDepth(legacy.name)).toBe(0);
      const done = await t.sdc.catalog.db.selectFrom('jobs').select(['state', 'attempts']).where('id', '=', job.id).executeTakeFirstOrThrow();
      expect(done).toEqual({ state: 'succeeded', attempts: 1 });
    }, { timeout: 20_000 });
    expect((await readFile(ledger, 'utf8')).split('\n').filter(Boolean)).toEqual([expect.stringMatching(/^DUO-S1-ION-RAW-2020-03-01-R1\.txt \d+$/)]);
  }, 60_000);
});
