/**
 * What operators do with jobs, on both backends: list with filters, show one with inputs and
 * outputs, and retry a failed or dead job through the outbox (refused when the same work is
 * already done or under way).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobState } from '../../src/catalog/catalog-schema.js';
import { jobDetail, listJobs } from '../../src/jobs/job-listing.js';
import { retryJob } from '../../src/jobs/job-retry.js';
import { backends } from '../support/backends.js';
import { startTestSdc, type TestSdc } from '../support/test-sdc.js';
import { CHAIN } from './chain-fixture.js';

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`job operations on ${backend.name}`, () => {
    let t: TestSdc;
    const ids: Record<string, number> = {};

    beforeAll(async () => {
      t = await startTestSdc(backend, { mission: CHAIN });
      const deployments = await t.sdc.processors.list();
      const insert = async (key: string, state: JobState, processor: string, hash: string, extra: { tier?: 'production' | 'staging'; created_at?: Date } = {}) => {
        const deployment = deployments.find((d) => d.name === processor)!;
        const row = await t.sdc.catalog.db.insertInto('jobs').values({
          mission: 'chain', rule: processor === 'mag-cal' ? 'calibrate' : 'summarise', processor, processor_version: '1.0.0', tier: extra.tier ?? 'production',
          group_key: 'c1', window_start: new Date('2020-03-01T00:00:00Z'), window_end: new Date('2020-03-02T00:00:00Z'), inputs_hash: hash.repeat(64),
          inputs: JSON.stringify([{ fileId: 999_999, name: 'CHAIN-C1-MAG-RAW-2020-03-01-R1.txt', sha256: 'a'.repeat(64) }]), state, error: state === 'dead' ? 'the processor exited with 3' : null,
          log: 'line 1\nline 2', deployment_id: deployment.id, priority: 1, ...(extra.created_at ? { created_at: extra.created_at } : {}),
        }).returning('id').executeTakeFirstOrThrow();
        ids[key] = row.id;
      };
      await insert('dead', 'dead', 'mag-cal', 'a', { created_at: new Date('2020-01-01T00:00:00Z') });
      await insert('succeeded', 'succeeded', 'mag-sum', 'b');
      await insert('failedTwin', 'failed', 'mag-sum', 'b');
      await insert('staging', 'queued', 'mag-cal', 'c', { tier: 'staging' });
    });
    afterAll(async () => t?.close());

    it('lists jobs newest first, filtered by state, processor version, tier, instrument and age', async () => {
      const db = t.sdc.catalog.db;
      const list = async (filter: Parameters<typeof listJobs>[2]) => (await listJobs(db, 'chain', filter)).map((j) => j.id);
      expect(await list({})).toEqual([ids.staging, ids.failedTwin, ids.succeeded, ids.dead]);
      expect(await list({ states: ['dead', 'failed'] })).toEqual([ids.failedTwin, ids.dead]);
      expect(await list({ processor: 'mag-cal@1.0.0' })).toEqual([ids.staging, ids.dead]);
      expect(await list({ processor: 'mag-cal@9.9.9' })).toEqual([]);
      expect(await list({ tier: 'staging' })).toEqual([ids.staging]);
      expect(await list({ instrument: 'mag', limit: 2 })).toEqual([ids.staging, ids.failedTwin]);
      expect(await list({ instrument: 'other' })).toEqual([]);
      expect(await list({ since: new Date('2021-01-01T00:00:00Z') })).toEqual([ids.staging, ids.failedTwin, ids.succeeded]);
      expect((await listJobs(db, 'chain', { states: ['dead'] }))[0]).toMatchObject({ instrument: 'mag', error: 'the processor exited with 3' });
    });

    it('shows a job with its inputs (noting those no longer catalogued), its outputs and its log', async () => {
      const detail = await jobDetail(t.sdc.catalog.db, 'chain', ids.dead!);
      expect(detail.job).toMatchObject({ state: 'dead', log: 'line 1\nline 2' });
      expect(detail.inputs).toEqual([{ fileId: 999_999, name: 'CHAIN-C1-MAG-RAW-2020-03-01-R1.txt', sha256: 'a'.repeat(64), file: undefined }]);
      expect(detail.outputs).toEqual([]);
      await expect(jobDetail(t.sdc.catalog.db, 'chain', 123_456)).rejects.toThrow('no job 123456 in mission chain');
    });

    it('when a dead job is retried, then it is queued again with its job.requested message in the outbox at its priority', async () => {
      const before = await t.sdc.catalog.db.selectFrom('outbox').select('id').execute();
      const job = await retryJob(t.sdc.catalog.db, 'chain', ids.dead!);
      expect(job).toMatchObject({ id: ids.dead, state: 'queued', error: null, finished_at: null });
      const outbox = await t.sdc.catalog.db.selectFrom('outbox').selectAll().where('id', 'not in', before.length > 0 ? before.map((r) => r.id) : [0]).execute();
      expect(outbox).toEqual([expect.objectContaining({ type: 'job.requested', routing_key: 'job.requested.chain.mag.production.mag-cal', priority: 1, body: { jobId: ids.dead, mission: 'chain', instrument: 'mag', processor: 'mag-cal', processorVersion: '1.0.0', tier: 'production' } })]);
    });

    it('refuses to retry a job that is not failed or dead, one whose identical job succeeded, and an unknown one', async () => {
      await expect(retryJob(t.sdc.catalog.db, 'chain', ids.succeeded!)).rejects.toThrow(`job ${ids.succeeded} is succeeded; only failed or dead jobs can be retried`);
      await expect(retryJob(t.sdc.catalog.db, 'chain', ids.failedTwin!)).rejects.toThrow(`job ${ids.failedTwin} is not retried: job ${ids.succeeded} with the same processor version, tier and inputs is succeeded`);
      await expect(retryJob(t.sdc.catalog.db, 'chain', 123_456)).rejects.toThrow('no job 123456 in mission chain');
      expect((await jobDetail(t.sdc.catalog.db, 'chain', ids.failedTwin!)).job.state).toBe('failed');
    });
  });
}
