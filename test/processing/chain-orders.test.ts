/**
 * The example FGM chain end to end on both backends: one day of generated Level 0 telemetry and
 * its ancillary and calibration files arrive in different orders (one spacecraft per order, as
 * spacecraft share no inputs), and each spacecraft ends with L1A -> L1B -> QL and L2 made once,
 * with the first versions. A new calibration (a newer-dated file, or a new version of the one in
 * force) then rebuilds L1B and everything downstream as new versions, keeping the old ones.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Delivery } from '../../src/bus/event-bus.js';
import type { JobRow } from '../../src/catalog/catalog-schema.js';
import { searchFiles } from '../../src/catalog/file-catalog.js';
import { waitUntilQuiet } from '../../src/app/wait-until-quiet.js';
import type { FileIngestedEvent } from '../../src/events/event-types.js';
import { backends } from '../support/backends.js';
import { startTestSdc, type TestSdc } from '../support/test-sdc.js';
import { demoCalibration, demoDay, ingestAll, jobsOfDay, observeIngested, type DayFiles } from './processing-kit.js';

const DAY = '2015-10-16';
type Kind = keyof DayFiles;

/** The arrival steps of each spacecraft: step i of every spacecraft arrives together, then the SDC settles. */
const ORDERS: Record<number, Kind[][]> = {
  1: [['l0'], ['attitude'], ['ephemeris'], ['calibration']],
  2: [['calibration', 'ephemeris'], ['attitude'], ['l0'], []],
  3: [['attitude'], ['l0'], ['calibration'], ['ephemeris']],
};
const SPACECRAFT = Object.keys(ORDERS).map(Number);
/**
 * With a debounce, arrivals mark the scopes they touch and the scopes are evaluated when due;
 * without, each arrival evaluates them in the transaction that handles its event. One backend
 * runs each way.
 */
const DEBOUNCE_MS: Record<string, number> = { 'PostgreSQL + RabbitMQ': 0 };
const PRODUCTS = (n: number, l1b: string, ql: string, l2: string) => [`mms${n}_fgm_srvy_l1a_20151016_v1.0.0.cdf`, `mms${n}_fgm_srvy_l1b_20151016_v${l1b}.cdf`, `mms${n}_fgm_srvy_ql_20151016_v${ql}.cdf`, `mms${n}_fgm_srvy_l2_20151016_v${l2}.cdf`];

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`the FGM chain on ${backend.name}, debounce ${DEBOUNCE_MS[backend.name] ?? 50} ms`, () => {
    let t: TestSdc;
    let events: Delivery<FileIngestedEvent>[];
    let files: Map<number, DayFiles>;
    const settle = () => waitUntilQuiet(t.sdc, { timeoutMs: 45_000, settleMs: 300 });
    const succeeded = async () => (await jobsOfDay(t.sdc, DAY)).filter((j) => j.tier === 'production');
    const describeJobs = (jobs: JobRow[]) => jobs.map((j) => `${j.processor} ${j.group_key} ${j.state}`).sort();

    beforeAll(async () => {
      t = await startTestSdc(backend, { processing: { retryDelaysMs: [200], concurrency: 2, debounceMs: DEBOUNCE_MS[backend.name] ?? 50 } });
      events = await observeIngested(t.sdc);
      await t.sdc.startProcessing(['production']);
      files = await demoDay(t.sdc, path.join(t.dataDir, 'arrivals'), DAY);
    });
    afterAll(async () => t?.close());

    it('when a day of telemetry, attitude, ephemeris and calibration arrives in any order, then L1A, L1B, QL and L2 are made once per spacecraft', async () => {
      for (let step = 0; step < 4; step++) {
        await ingestAll(t.sdc, SPACECRAFT.flatMap((n) => ORDERS[n]![step]!.map((kind) => files.get(n)![kind])));
        await settle();
      }

      const jobs = await succeeded();
      expect(describeJobs(jobs)).toEqual(SPACECRAFT.flatMap((n) => ['fgm-l1a', 'fgm-l1b', 'fgm-l2', 'fgm-ql'].map((p) => `${p} mms${n}/srvy succeeded`)).sort());
      const products = await searchFiles(t.sdc.catalog.db, { mission: 'mms', level: ['l1a', 'l1b', 'ql', 'l2'], latestOnly: false });
      expect(products.map((f) => f.name).sort()).toEqual(SPACECRAFT.flatMap((n) => PRODUCTS(n, '1.0.0', '1.0.0', '4.18.0')).sort());
      expect(products.every((f) => f.tier === 'production' && f.source === 'job' && jobs.some((j) => j.id === f.job_id))).toBe(true);

      for (const n of SPACECRAFT) {
        const l1b = jobs.find((j) => j.processor === 'fgm-l1b' && j.group_key === `mms${n}/srvy`)!;
        expect(l1b.inputs.map((i) => i.name).sort()).toEqual([`MMS${n}_DEFATT_2015289_2015289.V00`, `mms${n}_fgm_cal_20150916_v1.0.0.json`, `mms${n}_fgm_srvy_l1a_20151016_v1.0.0.cdf`]);
        const l2 = jobs.find((j) => j.processor === 'fgm-l2' && j.group_key === `mms${n}/srvy`)!;
        expect(l2.inputs.map((i) => i.name).sort()).toEqual([`MMS${n}_DEFEPH_2015289_2015289.V00`, `mms${n}_fgm_srvy_l1b_20151016_v1.0.0.cdf`]);
      }
      const announced = events.map((e) => e.body.name).filter((name) => products.some((p) => p.name === name));
      expect(announced.sort()).toEqual(products.map((p) => p.name).sort());
      expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
      // Scopes that waited for an input on the way (L1B before its attitude) no longer say so.
      expect(await t.sdc.catalog.db.selectFrom('job_triggers').select(['rule', 'group_key', 'missing']).execute()).toEqual([]);
    });

    it('when a new calibration arrives, then L1B and everything downstream are rebuilt as new versions and the old ones are kept', async () => {
      const before = await succeeded();
      const folder = path.dirname(files.get(1)!.l0);
      const newer = path.join(folder, 'mms1_fgm_cal_20151006_v1.0.0.json');
      const revised = path.join(folder, 'mms2_fgm_cal_20150916_v1.1.0.json');
      const future = path.join(folder, 'mms3_fgm_cal_20151020_v1.0.0.json');
      await writeFile(newer, await demoCalibration(t.sdc, 1, 1.1));
      await writeFile(revised, await demoCalibration(t.sdc, 2, 1.2));
      await writeFile(future, await demoCalibration(t.sdc, 3, 1.3));
      await ingestAll(t.sdc, [newer, revised, future]);
      await settle();

      const added = (await succeeded()).filter((j) => !before.some((b) => b.id === j.id));
      expect(describeJobs(added)).toEqual([1, 2].flatMap((n) => ['fgm-l1b', 'fgm-l2', 'fgm-ql'].map((p) => `${p} mms${n}/srvy succeeded`)).sort());
      const calibrationOf = (n: number) => added.find((j) => j.processor === 'fgm-l1b' && j.group_key === `mms${n}/srvy`)!.inputs.map((i) => i.name).find((name) => name.includes('_cal_'));
      expect(calibrationOf(1)).toBe('mms1_fgm_cal_20151006_v1.0.0.json');
      expect(calibrationOf(2)).toBe('mms2_fgm_cal_20150916_v1.1.0.json');

      const all = await searchFiles(t.sdc.catalog.db, { mission: 'mms', level: ['l1a', 'l1b', 'ql', 'l2'], latestOnly: false });
      const expected = [
        ...[1, 2].flatMap((n) => [...PRODUCTS(n, '1.0.0', '1.0.0', '4.18.0'), ...PRODUCTS(n, '1.0.1', '1.0.1', '4.18.1').slice(1)]),
        ...PRODUCTS(3, '1.0.0', '1.0.0', '4.18.0'),
      ];
      expect(all.map((f) => f.name).sort()).toEqual(expected.sort());
      const latest = await searchFiles(t.sdc.catalog.db, { mission: 'mms', level: ['l1b'], spacecraft: ['mms1', 'mms2'] , latestOnly: true });
      expect(latest.map((f) => f.version_label).sort()).toEqual(['1.0.1', '1.0.1']);
      const oldL1b = all.find((f) => f.name === 'mms1_fgm_srvy_l1b_20151016_v1.0.0.cdf')!;
      const newL1b = all.find((f) => f.name === 'mms1_fgm_srvy_l1b_20151016_v1.0.1.cdf')!;
      expect(newL1b.sha256).not.toBe(oldL1b.sha256);
      const ql = added.find((j) => j.processor === 'fgm-ql' && j.group_key === 'mms1/srvy')!;
      expect(ql.inputs.map((i) => i.name)).toEqual(['mms1_fgm_srvy_l1b_20151016_v1.0.1.cdf']);
    });
  });
}
