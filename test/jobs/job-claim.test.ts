/**
 * A worker's claim of a job on both backends: one statement marks it running and reads its
 * deployment-less row, its input files as catalogued now, and the files of its tier overlapping
 * its window (the mission's longest span bounding the search); a finished job is not claimed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FileRow } from '../../src/catalog/catalog-schema.js';
import { claimJob } from '../../src/jobs/job-claim.js';
import { backends } from '../support/backends.js';
import { insertLabelledFiles, insertSucceededJob } from '../support/lineage-rows.js';
import { startTestSdc, type TestSdc } from '../support/test-sdc.js';

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`claiming a job on ${backend.name}`, () => {
    let t: TestSdc;
    let inputs: FileRow[];

    beforeAll(async () => {
      t = await startTestSdc(backend);
      const db = t.sdc.catalog.db;
      inputs = await insertLabelledFiles(db, 'claim', ['a', 'cal', 'gone'], null);
      // Around the job's day (2015-10-16): a file of the day before, one spanning into the day, one of the next day, one in staging.
      const around = await insertLabelledFiles(db, 'claim', ['before', 'spanning', 'after', 'staged'], null);
      const set = (label: string, values: Partial<Pick<FileRow, 'start_time' | 'end_time' | 'tier'>>) => db.updateTable('files').set(values).where('id', '=', around.find((f) => f.name === `${label}.dat`)!.id).execute();
      await set('before', { start_time: new Date('2015-10-15'), end_time: new Date('2015-10-16') });
      await set('spanning', { start_time: new Date('2015-10-15T12:00Z'), end_time: new Date('2015-10-16T06:00Z') });
      await set('after', { start_time: new Date('2015-10-17'), end_time: new Date('2015-10-18') });
      await set('staged', { tier: 'staging' });
    });
    afterAll(async () => t?.close());

    it('marks a queued job running and reads its inputs and the files overlapping its window in one go', async () => {
      const db = t.sdc.catalog.db;
      const jobId = await insertSucceededJob(db, 'x', inputs);
      await db.updateTable('jobs').set({ state: 'queued' }).where('id', '=', jobId).execute();
      await db.deleteFrom('files').where('name', '=', 'gone.dat').execute();

      const claimed = await claimJob(db, jobId);
      expect(claimed?.job).toMatchObject({ id: jobId, state: 'running', attempts: 1 });
      expect(claimed?.job.window_start).toEqual(new Date('2015-10-16'));
      expect(claimed?.deployment).toBeUndefined();
      const a = inputs.find((f) => f.name === 'a.dat')!;
      expect(claimed?.inputFiles.get(a.id)).toEqual({ id: a.id, name: 'a.dat', store_key: 'claim/a', product: 'a', kind: 'science', version_label: '1.0.0', sha256: a.sha256 });
      expect([...claimed!.inputFiles.values()].map((f) => f.name).sort()).toEqual(['a.dat', 'cal.dat']);
      expect(claimed?.windowFiles.map((f) => f.name)).toEqual(['spanning.dat', 'a.dat', 'cal.dat']);
      expect(claimed?.windowFiles[1]).toEqual({ name: 'a.dat', version_label: '1.0.0', kind: 'science', product: 'a', spacecraft: null, instrument: null, mode: null, level: null, descriptor: null, dataType: null });
    });

    it('claims a job again after its worker died (running), never a succeeded or dead one', async () => {
      const db = t.sdc.catalog.db;
      const jobId = await insertSucceededJob(db, 'y', inputs.slice(0, 1));
      expect(await claimJob(db, jobId)).toBeUndefined();
      await db.updateTable('jobs').set({ state: 'running', attempts: 1 }).where('id', '=', jobId).execute();
      expect((await claimJob(db, jobId))?.job.attempts).toBe(2);
      await db.updateTable('jobs').set({ state: 'dead' }).where('id', '=', jobId).execute();
      expect(await claimJob(db, jobId)).toBeUndefined();
      expect(await claimJob(db, 999_999)).toBeUndefined();
    });
  });
}
