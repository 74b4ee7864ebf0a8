/**
 * The staging comparison report on both backends: jobs of a staging version against the
 * production jobs of the same rule, group and day, with their outputs read back from the store
 * by the project's CDF reader (missing and extra files, per-variable differences).
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCdf, writeCdf, type CdfContent } from '../../src/cdf/index.js';
import { compareCdfVariables } from '../../src/processors/cdf-compare.js';
import { diffProcessor } from '../../src/processors/processor-diff.js';
import type { Deployment } from '../../src/processors/processor-registry.js';
import { backends } from '../support/backends.js';
import { startTestSdc, type TestSdc } from '../support/test-sdc.js';
import { bundleVersion, CHAIN } from '../jobs/chain-fixture.js';

const epoch = new BigInt64Array([0n, 1_000_000_000n, 2_000_000_000n]);
const content = (b: number[], extra: CdfContent['variables'] = []): CdfContent => ({
  variables: [
    { name: 'Epoch', type: 'TIME_TT2000', values: epoch },
    { name: 'B', type: 'REAL8', values: b },
    { name: 'label', type: 'CHAR', recordVarying: false, dims: [1], values: ['Bx'] },
    ...extra,
  ],
});

describe('comparing the variables of two CDF files', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'cdf-compare-'));
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('reports the largest absolute difference, values beyond the tolerance, missing and extra variables and shape changes', async () => {
    await writeCdf(path.join(dir, 'p.cdf'), content([1, 2, 3], [{ name: 'old', type: 'INT2', values: [1] }, { name: 'shape', type: 'INT2', values: [1, 2] }]));
    await writeCdf(path.join(dir, 's.cdf'), content([1, 2.5, 3.01], [{ name: 'new', type: 'INT2', values: [1] }, { name: 'shape', type: 'INT2', values: [1, 2, 3] }]));
    const [p, s] = [openCdf(path.join(dir, 'p.cdf')), openCdf(path.join(dir, 's.cdf'))];
    const diffs = compareCdfVariables(p, s, 0.05);
    p.close();
    s.close();
    const by = Object.fromEntries(diffs.map((d) => [d.name, d]));
    expect(by.B).toMatchObject({ status: 'differs', differing: 1 });
    expect(by.B!.maxAbsDiff).toBeCloseTo(0.5);
    expect(by.Epoch).toMatchObject({ status: 'same', maxAbsDiff: 0, differing: 0 });
    expect(by.label).toMatchObject({ status: 'same', maxAbsDiff: null });
    expect(by.old).toMatchObject({ status: 'only-production' });
    expect(by.new).toMatchObject({ status: 'only-staging' });
    expect(by.shape).toMatchObject({ status: 'differs', note: 'shape [2] in production, [3] in staging' });
  });
});

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`sdc processor diff on ${backend.name}`, () => {
    let t: TestSdc;
    let tmp: string;
    let production: Deployment;
    let staging: Deployment;

    beforeAll(async () => {
      t = await startTestSdc(backend, { mission: CHAIN });
      tmp = await mkdtemp(path.join(os.tmpdir(), 'sdc-diff-'));
      production = (await t.sdc.processors.active('mag-cal', 'production'))!;
      staging = await t.sdc.processors.deploy(await bundleVersion(tmp, 'mag-cal', '2.0.0'), 'staging', 'test');
    });
    afterAll(async () => {
      await t?.close();
      await rm(tmp, { recursive: true, force: true });
    });

    /** A succeeded job and its outputs, catalogued and stored as a worker would leave them. */
    async function job(d: Deployment, spacecraft: string, day: string, inputsHash: string, outputs: Record<string, CdfContent | string>): Promise<number> {
      const db = t.sdc.catalog.db;
      const start = new Date(`${day}T00:00:00Z`);
      const row = await db.insertInto('jobs').values({
        mission: 'chain', rule: 'calibrate', processor: d.name, processor_version: d.version, tier: d.tier, group_key: spacecraft, window_start: start,
        window_end: new Date(start.getTime() + 86_400_000), inputs_hash: inputsHash.repeat(64), inputs: '[]', state: 'succeeded', deployment_id: d.id,
      }).returning('id').executeTakeFirstOrThrow();
      for (const [stem, body] of Object.entries(outputs)) {
        const name = `${stem}-R${row.id}${typeof body === 'string' ? '.txt' : '.cdf'}`;
        const local = path.join(tmp, name);
        if (typeof body === 'string') await writeFile(local, body);
        else await writeCdf(local, body);
        const bytes = await readFile(local);
        const sha256 = createHash('sha256').update(bytes).digest('hex');
        const key = `${d.tier}/${name}`;
        await t.sdc.store.putFile(key, local, { size: bytes.length, sha256 });
        await db.insertInto('files').values({
          mission: 'chain', name, kind: 'data', product: `${spacecraft}-mag-cal`, stem, spacecraft, instrument: 'mag', level: 'cal', start_time: start,
          end_time: new Date(start.getTime() + 86_400_000), version: [row.id], version_label: String(row.id), size: bytes.length, sha256, store_key: key,
          tier: d.tier, source: 'job', job_id: row.id, metadata: '{}',
        }).execute();
      }
      return row.id;
    }

    it('when staging and production ran the same scopes, then the report lists missing and extra files and each differing variable with its largest difference', async () => {
      const p1 = await job(production, 'c1', '2020-03-01', 'a', { 'CHAIN-C1-MAG-CAL-2020-03-01': content([1, 2, 3]), 'CHAIN-C1-MAG-LOG-2020-03-01': 'log' });
      await job(production, 'c1', '2020-03-01', 'z', { 'CHAIN-C1-MAG-CAL-2020-03-01': content([9, 9, 9]) });
      const s1 = await job(staging, 'c1', '2020-03-01', 'a', { 'CHAIN-C1-MAG-CAL-2020-03-01': content([1, 2, 3.25]), 'CHAIN-C1-MAG-QA-2020-03-01': 'qa' });
      const p2 = await job(production, 'c2', '2020-03-01', 'b', { 'CHAIN-C2-MAG-CAL-2020-03-01': content([4, 5, 6]) });
      const s2 = await job(staging, 'c2', '2020-03-01', 'b', { 'CHAIN-C2-MAG-CAL-2020-03-01': content([4, 5, 6]) });
      const s3 = await job(staging, 'c1', '2020-03-02', 'c', { 'CHAIN-C1-MAG-CAL-2020-03-02': content([1, 1, 1]) });

      const report = await diffProcessor({ db: t.sdc.catalog.db, store: t.sdc.store, mission: 'chain' }, 'mag-cal', '2.0.0');
      expect(report.summary).toEqual({ compared: 2, same: 1, differing: 1, withoutProduction: 1, stagingFailed: 0 });
      const [first, second, third] = report.scopes;
      expect(first).toMatchObject({ rule: 'calibrate', groupKey: 'c1', day: '2020-03-01', stagingJob: s1, productionJob: p1, productionVersion: '1.0.0', sameInputs: true, missing: ['CHAIN-C1-MAG-LOG-2020-03-01'], extra: ['CHAIN-C1-MAG-QA-2020-03-01'], same: false });
      expect(first!.files).toHaveLength(1);
      expect(first!.files[0]!.variables.filter((v) => v.status !== 'same')).toEqual([{ name: 'B', status: 'differs', maxAbsDiff: 0.25, differing: 1 }]);
      expect(second).toMatchObject({ groupKey: 'c2', stagingJob: s2, productionJob: p2, same: true, files: [expect.objectContaining({ identical: true })] });
      expect(third).toMatchObject({ groupKey: 'c1', day: '2020-03-02', stagingJob: s3, productionJob: null, same: false });
    });

    it('refuses a version that was never deployed to staging, with the command to do it', async () => {
      await expect(diffProcessor({ db: t.sdc.catalog.db, store: t.sdc.store, mission: 'chain' }, 'mag-cal', '1.0.0')).rejects.toThrow('mag-cal@1.0.0 was never deployed to staging; deploy it with `sdc processor deploy BUNDLE --tier staging`');
    });
  });
}
