/**
 * The whole pipeline on both backends: telemetry dropped in the drop folder is ingested,
 * announced once, processed through the mission's example FGM chain (L1A, L1B with attitude
 * and calibration, QL, L2 with ephemeris), the outputs indexed and served over HTTP; duplicates, conflicts, bad names, truncated and altered uploads are
 * refused with reasons and lose nothing.
 */
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Delivery } from '../src/bus/event-bus.js';
import { searchFiles, searchFileSummaries } from '../src/catalog/file-catalog.js';
import { isoToTt2000, openCdf, writeCdf } from '../src/cdf/index.js';
import type { FileIngestedEvent } from '../src/events/event-types.js';
import { waitUntilQuiet } from '../src/app/wait-until-quiet.js';
import { loadMissionModule } from '../src/mission/load-mission-module.js';
import { TeamAccounts } from '../src/api/access/team-accounts.js';
import { backends } from './support/backends.js';
import { startTestSdc, type TestSdc } from './support/test-sdc.js';

interface DemoAdapter {
  generateDemoFiles(folder: string, options: { day: string; hours?: number }): Promise<string[]>;
}

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`pipeline on ${backend.name}`, () => {
    let t: TestSdc;
    let baseUrl: string;
    const events: Delivery<FileIngestedEvent>[] = [];
    /** Uploads need an uploading role: an operator may upload any file. */
    const uploader = { authorization: basic('uploader', 'upload-secret') };

    beforeAll(async () => {
      t = await startTestSdc(backend);
      const accounts = new TeamAccounts(t.sdc.catalog.db, 'mms');
      await accounts.createUser('uploader', 'upload-secret');
      await accounts.grantRole('uploader', 'operator');
      await t.sdc.bus.declareQueue({ name: 'test.observer', bindings: ['file.ingested.#'], retryDelaysMs: [] });
      await t.sdc.bus.consume<FileIngestedEvent>('test.observer', async (d) => void events.push(d), { prefetch: 50 });
      baseUrl = await t.sdc.startApi();
      await t.sdc.startProcessing();
      await t.sdc.startDropFolder();
    });
    afterAll(async () => t?.close());

    it('when a day of telemetry is dropped, then it is ingested, processed once through L1A, L1B, QL and L2, and the outputs indexed and served to the team', async () => {
      const adapter = await loadMissionModule<DemoAdapter>(t.sdc.mission, 'demo');
      await adapter.generateDemoFiles(path.join(t.dataDir, 'drop'), { day: '2015-10-16', hours: 2 });
      await waitUntilQuiet(t.sdc, { timeoutMs: 60_000 });

      const db = t.sdc.catalog.db;
      const arrivals = await db.selectFrom('files').select(['name', 'kind', 'store_key']).where('source', '=', 'drop').orderBy('name').execute();
      const perSpacecraft = (n: number) => [
        `MMS${n}_DEFATT_2015289_2015289.V00`,
        `MMS${n}_DEFEPH_2015289_2015289.V00`,
        `mms${n}_fgm_cal_20150916_v1.0.0.json`,
        `mms${n}_fgm_srvy_l0_20151016_v0.0.0.dat`,
      ];
      expect(arrivals.map((f) => f.name).sort()).toEqual([1, 2, 3, 4].flatMap(perSpacecraft).sort());
      expect(arrivals.find((f) => f.name === 'mms1_fgm_srvy_l0_20151016_v0.0.0.dat')?.store_key).toBe('mms1/fgm/srvy/l0/2015/10/mms1_fgm_srvy_l0_20151016_v0.0.0.dat');

      const quarantined = await db.selectFrom('quarantine').selectAll().execute();
      expect(quarantined).toHaveLength(1);
      expect(quarantined[0]).toMatchObject({ name: 'mms1_fgm_srvy_l0_2015-10-16.dat', reason_code: 'invalid-file-name' });
      expect(quarantined[0]?.reason).toMatch(/matches no file-name pattern/);
      expect(await readFile(quarantined[0]!.location!)).toEqual(Buffer.from([1, 2, 3]));
      expect(await readdir(path.join(t.dataDir, 'drop'))).toEqual([]);

      const jobs = await db.selectFrom('jobs').selectAll().where('tier', '=', 'production').execute();
      const chain = ['fgm-l1a', 'fgm-l1b', 'fgm-l2', 'fgm-ql'];
      expect(jobs.map((j) => `${j.processor} ${j.group_key} ${j.state}`).sort()).toEqual(
        chain.flatMap((p) => [1, 2, 3, 4].map((n) => `${p} mms${n}/srvy succeeded`)).sort(),
      );
      expect(jobs.find((j) => j.processor === 'fgm-l1a')?.log).toMatch(/decoded 7200 samples/);

      const products = await searchFiles(db, { mission: 'mms', level: ['l1a', 'l1b', 'ql', 'l2'] });
      expect(products.map((f) => f.name).sort()).toEqual(
        [1, 2, 3, 4].flatMap((n) => ['l1a_20151016_v1.0.0', 'l1b_20151016_v1.0.0', 'ql_20151016_v1.0.0', 'l2_20151016_v4.18.0'].map((suffix) => `mms${n}_fgm_srvy_${suffix}.cdf`)).sort(),
      );
      expect(products.every((f) => f.source === 'job' && f.job_id !== null && f.tier === 'production')).toBe(true);
      // The trigger's searches read the same rows without the CDF attributes they do not use.
      expect(products.every((f) => 'cdf' in f.metadata)).toBe(true);
      const summaries = await searchFileSummaries(db, { mission: 'mms', level: ['l1a', 'l1b', 'ql', 'l2'] });
      expect(summaries.map((f) => f.name)).toEqual(products.map((f) => f.name));
      expect(summaries.some((f) => 'metadata' in f)).toBe(false);
      const outputs = products.filter((f) => f.level === 'l1a');

      const operator = new TeamAccounts(db, 'mms');
      await operator.createUser('pipeline-op', 'pipeline-secret');
      await operator.grantRole('pipeline-op', 'operator');
      const anonymous = await fetch(`${baseUrl}/api/v1/files/${outputs[0]!.name}/content`);
      expect(anonymous.status).toBe(404);
      const response = await fetch(`${baseUrl}/api/v1/files/${outputs[0]!.name}/content`, { headers: { authorization: basic('pipeline-op', 'pipeline-secret') } });
      expect(response.status).toBe(200);
      const bytes = new Uint8Array(await response.arrayBuffer());
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(outputs[0]!.sha256);
      expect(response.headers.get('etag')).toBe(`"${outputs[0]!.sha256}"`);
      const cdf = openCdf(bytes, { name: outputs[0]!.name });
      expect(cdf.read('Epoch').shape).toEqual([7200]);
      expect(cdf.read('mms1_fgm_raw_srvy_l1a').shape).toEqual([7200, 3]);

      const names = events.map((e) => e.body.name).sort();
      expect(names).toEqual([...arrivals.map((f) => f.name), ...products.map((f) => f.name)].sort());
      expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
      const l1a = events.find((e) => e.body.name === outputs[0]!.name)!;
      expect(l1a.routingKey).toBe('file.ingested.mms.production.science.mms1.fgm.l1a');
    });

    it('when the same file arrives again, then nothing changes; when it arrives with other bytes, then it is refused and quarantined', async () => {
      const name = 'MMS2_DEFATT_2015290_2015290.V00';
      const body = Buffer.from('first copy');
      const put = (bytes: Buffer, headers: Record<string, string> = {}) =>
        fetch(`${baseUrl}/api/v1/files/${name}`, { method: 'PUT', body: bytes, headers: { 'content-type': 'application/octet-stream', ...uploader, ...headers } });
      expect((await put(body)).status).toBe(201);
      await waitUntilQuiet(t.sdc, { timeoutMs: 30_000, settleMs: 300 });
      const before = events.length;
      const again = await put(body);
      expect(again.status).toBe(200);
      expect(((await again.json()) as { status: string }).status).toBe('duplicate');
      const conflict = await put(Buffer.from('other bytes'));
      expect(conflict.status).toBe(409);
      expect(((await conflict.json()) as { error: { message: string } }).error.message).toMatch(/already catalogued with sha256/);
      const stored = (await searchFiles(t.sdc.catalog.db, { mission: 'mms', product: 'mms2_defatt', latestOnly: false })).filter((f) => f.name === name);
      expect(stored).toHaveLength(1);
      expect(stored[0]!.sha256).toBe(createHash('sha256').update(body).digest('hex'));
      await waitUntilQuiet(t.sdc, { timeoutMs: 30_000, settleMs: 300 });
      expect(events.length).toBe(before);
    });

    it('when an upload is altered or its name is bad, then it is refused with the reason and nothing is catalogued', async () => {
      const name = 'mms3_fgm_srvy_l0_20151018_v0.0.0.dat';
      const body = Buffer.from('telemetry bytes');
      const wrong = createHash('sha256').update('something else').digest('hex');
      const altered = await fetch(`${baseUrl}/api/v1/files/${name}`, { method: 'PUT', body, headers: { 'x-checksum-sha256': wrong, ...uploader } });
      expect(altered.status).toBe(422);
      expect(((await altered.json()) as { error: { code: string } }).error.code).toBe('checksum-mismatch');
      const unknown = await fetch(`${baseUrl}/api/v1/files/mms1_xyz_srvy_l0_20151018_v0.0.0.dat`, { method: 'PUT', body, headers: uploader });
      expect(unknown.status).toBe(400);
      expect(((await unknown.json()) as { error: { message: string } }).error.message).toMatch(/unknown instrument 'xyz'/);
      const row = await t.sdc.catalog.db.selectFrom('files').select('id').where('name', 'in', [name, 'mms1_xyz_srvy_l0_20151018_v0.0.0.dat']).execute();
      expect(row).toEqual([]);
      const reasons = await t.sdc.catalog.db.selectFrom('quarantine').select(['name', 'reason_code']).where('source', '=', 'upload').execute();
      expect(reasons).toEqual(expect.arrayContaining([{ name, reason_code: 'checksum-mismatch' }, { name: 'mms1_xyz_srvy_l0_20151018_v0.0.0.dat', reason_code: 'invalid-file-name' }]));
    });

    it('when several versions of a file exist, then all are kept and one query returns the latest of each', async () => {
      const folder = path.join(t.dataDir, 'versions');
      await mkdir(folder, { recursive: true });
      for (const version of ['4.53.0', '4.110.0', '4.9.1']) {
        for (const day of ['20151020', '20151021']) {
          const file = path.join(folder, `mms1_fgm_srvy_l2_${day}_v${version}.cdf`);
          const start = `${day.slice(0, 4)}-${day.slice(4, 6)}-${day.slice(6)}T`;
          await writeCdf(file, {
            globalAttributes: { Data_version: version },
            variables: [{ name: 'Epoch', type: 'TIME_TT2000', values: BigInt64Array.from([isoToTt2000(`${start}00:00:00`), isoToTt2000(`${start}23:59:59`)]) }],
          });
          await t.sdc.ingest.ingest({ path: file, name: path.basename(file), source: 'drop', keepSource: true });
        }
      }
      const query = { mission: 'mms', product: 'mms1_fgm_srvy_l2', from: new Date('2015-10-20'), to: new Date('2015-10-22') };
      const latest = await searchFiles(t.sdc.catalog.db, { ...query, latestOnly: true });
      expect(latest.map((f) => f.name)).toEqual(['mms1_fgm_srvy_l2_20151020_v4.110.0.cdf', 'mms1_fgm_srvy_l2_20151021_v4.110.0.cdf']);
      expect(await searchFiles(t.sdc.catalog.db, query)).toHaveLength(6);
      expect(latest[0]!.metadata).toMatchObject({ cdf: { globalAttributes: { Data_version: ['4.110.0'] }, timeRange: { variable: 'Epoch', start: '2015-10-20T00:00:00.000000000' } } });
    });
  });
}
