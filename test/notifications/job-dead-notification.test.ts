import { afterEach, describe, expect, it, vi } from 'vitest';
import { MemoryEventBus } from '../../src/bus/memory-event-bus.js';
import type { JobRow } from '../../src/catalog/catalog-schema.js';
import { migrateCatalog } from '../../src/catalog/migrate.js';
import { openCatalog } from '../../src/catalog/open-catalog.js';
import { JOB_REQUESTED, jobRequestedRoutingKey } from '../../src/events/event-types.js';
import { JobFailure, type JobRunner } from '../../src/jobs/job-runner.js';
import { JobWorker } from '../../src/jobs/job-worker.js';
import { createRootLogger } from '../../src/logging/logger.js';
import { createJobFailureNotifier } from '../../src/notifications/create-notifier.js';
import type { JobFailureNotifier } from '../../src/notifications/job-failure-notifier.js';
import { notificationConfigSchema } from '../../src/notifications/notification-config.js';
import { startSmtpReceiver } from './local-receivers.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

describe('a job that becomes dead notifies its team through the worker hook', () => {
  it('mails the contacts once the last attempt has failed, with the failure reason and log', async () => {
    const logger = createRootLogger({ silent: true });
    const catalog = await openCatalog({ kind: 'pglite' });
    cleanups.push(() => catalog.close());
    await migrateCatalog(catalog.db);
    const smtp = await startSmtpReceiver();
    cleanups.push(smtp.close);
    const notifier = createJobFailureNotifier(notificationConfigSchema.parse({ smtp: { host: '127.0.0.1', port: smtp.port, from: 'sdc@example.org' } }), logger) as JobFailureNotifier;
    const job = await catalog.db
      .insertInto('jobs')
      .values({ mission: 'mms', rule: 'fgm-l1b', processor: 'fgm-l1b', processor_version: '3.1.0', tier: 'production', group_key: 'mms1', window_start: new Date('2015-10-16T00:00:00Z'), window_end: new Date('2015-10-17T00:00:00Z'), inputs_hash: 'f'.repeat(64), inputs: JSON.stringify([{ fileId: 1, name: 'mms1_fgm_srvy_l1a_20151016_v1.0.0.cdf', sha256: 'a' }]), state: 'queued' })
      .returningAll()
      .executeTakeFirstOrThrow();
    // The runner's only part here is to fail the way a crashing processor does; running a real one is the job runner's tests' business.
    const failing = { run: async (row: JobRow) => Promise.reject(new JobFailure(row.id, 'the processor exited with 2', 'reading input\nTraceback: bad calibration', 2)) } as unknown as JobRunner;
    const bus = new MemoryEventBus();
    const dead: number[] = [];
    const worker = new JobWorker(catalog.db, bus, failing, {
      mission: 'mms', tier: 'production', instruments: ['fgm'], consume: ['fgm'], concurrency: 1, retryDelaysMs: [10],
      onJobDead: (row, reason) => {
        dead.push(row.id);
        return notifier.notifyJobFailure(row, reason, [{ name: 'FGM team', email: 'fgm@example.org' }]);
      },
    }, logger);
    await worker.start();
    cleanups.unshift(async () => {
      await worker.stop();
      await notifier.close();
      await bus.close();
    });
    const event = { jobId: job.id, mission: 'mms', instrument: 'fgm', processor: 'fgm-l1b', processorVersion: '3.1.0', tier: 'production' as const };
    await bus.publish([{ id: 'm1', type: JOB_REQUESTED, routingKey: jobRequestedRoutingKey(event), body: event }]);
    await vi.waitFor(() => expect(smtp.mails).toHaveLength(1), { timeout: 10_000 });
    expect(dead).toEqual([job.id]);
    expect(smtp.mails[0]?.subject).toBe(`[SDC mms] job ${job.id} dead: fgm-l1b@3.1.0 (production)`);
    expect(smtp.mails[0]?.text).toContain('is dead after 2 attempt(s)');
    expect(smtp.mails[0]?.text).toContain('reason:    the processor exited with 2');
    expect(smtp.mails[0]?.text).toContain('host:      ');
    expect(smtp.mails[0]?.text).toContain('exit code 2');
    expect(smtp.mails[0]?.text).toContain('  Traceback: bad calibration');
  });
});
