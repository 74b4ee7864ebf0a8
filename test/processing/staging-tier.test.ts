/**
 * Staging beside production, on both backends: a candidate release of fgm-l1b deployed to
 * staging runs on the same arrivals as production, writes to its own store area, is invisible
 * to the team's JSON search and to the legacy file services, and never triggers production
 * work; once promoted, the next arrivals run it in production.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TeamAccounts } from '../../src/api/access/team-accounts.js';
import { waitUntilQuiet } from '../../src/app/wait-until-quiet.js';
import type { Delivery } from '../../src/bus/event-bus.js';
import type { FileRow } from '../../src/catalog/catalog-schema.js';
import type { FileIngestedEvent } from '../../src/events/event-types.js';
import { backends } from '../support/backends.js';
import { startTestSdc, type TestSdc } from '../support/test-sdc.js';
import { demoDay, ingestAll, jobsOfDay, observeIngested } from './processing-kit.js';

const CANDIDATE = path.resolve('test/fixtures/processors/fgm-l1b-next');
const auth = { authorization: `Basic ${Buffer.from('staging-op:staging-secret').toString('base64')}` };

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`staging and production tiers on ${backend.name}`, () => {
    let t: TestSdc;
    let baseUrl: string;
    let events: Delivery<FileIngestedEvent>[];
    const settle = () => waitUntilQuiet(t.sdc, { timeoutMs: 45_000, settleMs: 300 });
    const filesOf = (tier: 'production' | 'staging', level: string): Promise<FileRow[]> =>
      t.sdc.catalog.db.selectFrom('files').selectAll().where('tier', '=', tier).where('level', '=', level).orderBy('name').execute();

    beforeAll(async () => {
      t = await startTestSdc(backend, { processing: { retryDelaysMs: [200], concurrency: 2, debounceMs: 50 } });
      events = await observeIngested(t.sdc);
      baseUrl = await t.sdc.startApi();
      await t.sdc.startProcessing();
      const team = new TeamAccounts(t.sdc.catalog.db, 'mms');
      await team.createUser('staging-op', 'staging-secret');
      await team.grantRole('staging-op', 'operator');
    });
    afterAll(async () => t?.close());

    it('when a staging version is deployed, then the same arrival runs both tiers and staging outputs stay in their own area, unseen and triggering nothing', async () => {
      const candidate = await t.sdc.processors.deploy(CANDIDATE, 'staging', 'test');
      expect(candidate).toMatchObject({ name: 'fgm-l1b', version: '1.1.0', tier: 'staging', active: true });
      const day = (await demoDay(t.sdc, path.join(t.dataDir, 'arrivals'), '2015-10-16')).get(1)!;
      await ingestAll(t.sdc, [day.l0, day.attitude, day.ephemeris, day.calibration]);
      await settle();

      const jobs = await jobsOfDay(t.sdc, '2015-10-16');
      expect(jobs.map((j) => `${j.tier} ${j.processor}@${j.processor_version} ${j.state}`).sort()).toEqual([
        'production fgm-l1a@1.0.0 succeeded',
        'production fgm-l1b@1.0.0 succeeded',
        'production fgm-l2@1.0.0 succeeded',
        'production fgm-ql@1.0.0 succeeded',
        'staging fgm-l1b@1.1.0 succeeded',
      ]);
      const production = jobs.find((j) => j.tier === 'production' && j.processor === 'fgm-l1b')!;
      const staging = jobs.find((j) => j.tier === 'staging')!;
      expect(staging.inputs).toEqual(production.inputs);

      const [stagingL1b] = await filesOf('staging', 'l1b');
      const [productionL1b] = await filesOf('production', 'l1b');
      expect(stagingL1b).toMatchObject({ name: 'mms1_fgm_srvy_l1b_20151016_v1.0.0.cdf', store_key: 'staging/mms1/fgm/srvy/l1b/2015/10/mms1_fgm_srvy_l1b_20151016_v1.0.0.cdf', job_id: staging.id });
      expect(productionL1b).toMatchObject({ name: stagingL1b!.name, store_key: 'mms1/fgm/srvy/l1b/2015/10/mms1_fgm_srvy_l1b_20151016_v1.0.0.cdf', job_id: production.id });
      expect(stagingL1b!.metadata).toMatchObject({ cdf: { globalAttributes: { Generated_by: [expect.stringMatching(/^fgm-l1b 1\.1\.0 /)] } } });
      expect(productionL1b!.metadata).toMatchObject({ cdf: { globalAttributes: { Generated_by: [expect.stringMatching(/^fgm-l1b 1\.0\.0 /)] } } });
      expect(await t.sdc.store.stat(stagingL1b!.store_key)).toEqual({ size: stagingL1b!.size });

      const downstream = jobs.filter((j) => j.processor === 'fgm-ql' || j.processor === 'fgm-l2');
      expect(downstream.flatMap((j) => j.inputs.filter((i) => i.name.includes('_l1b_')).map((i) => i.fileId))).toEqual([productionL1b!.id, productionL1b!.id]);
      expect(await filesOf('staging', 'ql')).toEqual([]);
      expect(await filesOf('staging', 'l2')).toEqual([]);
      const stagingEvent = events.find((e) => e.body.tier === 'staging');
      expect(stagingEvent?.routingKey).toBe('file.ingested.mms.staging.science.mms1.fgm.l1b');
      const triggers = await t.sdc.catalog.db.selectFrom('job_triggers').select(['rule', 'missing']).execute();
      expect(triggers).toEqual([]);

      const search = await fetch(`${baseUrl}/api/v1/files?level=l1b&limit=50`, { headers: auth });
      expect(search.status).toBe(200);
      const found = ((await search.json()) as { files: { name: string; tier: string }[] }).files;
      expect(found).toEqual([expect.objectContaining({ name: productionL1b!.name, tier: 'production' })]);
      const compat = await fetch(`${baseUrl}/mms/sdc/sitl/files/api/v1/file_info/science?sc_id=mms1&instrument_id=fgm&data_level=l1b&start_date=2015-10-16&end_date=2015-10-16`, { headers: auth });
      expect(compat.status).toBe(200);
      const info = (await compat.json()) as { files: { file_name: string; file_size: number }[] };
      expect(info.files.map((f) => [f.file_name, f.file_size])).toEqual([[productionL1b!.name, productionL1b!.size]]);
      const names = await fetch(`${baseUrl}/mms/sdc/sitl/files/api/v1/file_names/science?sc_id=mms1&data_level=l1b`, { headers: auth });
      expect(await names.text()).toBe(`mms/data/${productionL1b!.store_key}`);
      const publicNames = await fetch(`${baseUrl}/mms/sdc/public/files/api/v1/file_names/science?sc_id=mms1&data_level=l1b`);
      expect(await publicNames.text()).toBe('');
    });

    it('when the staging version is promoted, then the next arrivals run it in production and staging runs nothing', async () => {
      const promoted = await t.sdc.processors.promote('fgm-l1b', '1.1.0', 'test');
      expect(promoted).toMatchObject({ tier: 'production', version: '1.1.0', active: true });
      expect(await t.sdc.processors.active('fgm-l1b', 'staging')).toBeUndefined();
      const day = (await demoDay(t.sdc, path.join(t.dataDir, 'arrivals'), '2015-10-17')).get(1)!;
      await ingestAll(t.sdc, [day.l0, day.attitude, day.ephemeris]);
      await settle();

      const jobs = await jobsOfDay(t.sdc, '2015-10-17');
      expect(jobs.map((j) => `${j.tier} ${j.processor}@${j.processor_version} ${j.state}`).sort()).toEqual([
        'production fgm-l1a@1.0.0 succeeded',
        'production fgm-l1b@1.1.0 succeeded',
        'production fgm-l2@1.0.0 succeeded',
        'production fgm-ql@1.0.0 succeeded',
      ]);
      const l1b = (await filesOf('production', 'l1b')).find((f) => f.name === 'mms1_fgm_srvy_l1b_20151017_v1.0.0.cdf');
      expect(l1b?.metadata).toMatchObject({ cdf: { globalAttributes: { Generated_by: [expect.stringMatching(/^fgm-l1b 1\.1\.0 /)] } } });
      const earlier = await jobsOfDay(t.sdc, '2015-10-16');
      expect(earlier).toHaveLength(5);
    });
  });
}
