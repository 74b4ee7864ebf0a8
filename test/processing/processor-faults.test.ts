/**
 * Faulty processors on both backends: each fault ends the job `dead` after its retries, with a
 * reason that says what went wrong, the processor's log, and nothing catalogued. Each case
 * deploys a faulty release of `fgm-l1a` (test/fixtures/processors/) to production and drops one
 * day of Level 0 telemetry.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitUntilQuiet } from '../../src/app/wait-until-quiet.js';
import { jobQueue } from '../../src/jobs/job-worker.js';
import { backends } from '../support/backends.js';
import { startTestSdc, type TestSdc } from '../support/test-sdc.js';
import { demoDay, ingestAll, jobsOfDay } from './processing-kit.js';

const FIXTURES = path.resolve('test/fixtures/processors');

interface FaultCase {
  behaviour: string;
  bundle: string;
  day: string;
  error: RegExp;
  exitCode: number | null;
  log?: RegExp;
}

const cases: FaultCase[] = [
  { behaviour: 'crashes (exit 3)', bundle: 'crash', day: '2015-11-01', error: /^the processor exited with 3$/, exitCode: 3, log: /packet 17 has a bad checksum/ },
  { behaviour: 'hangs past its time limit', bundle: 'hang', day: '2015-11-02', error: /^the processor ran past its time limit and was stopped$/, exitCode: null, log: /time limit of 500 ms reached/ },
  { behaviour: 'writes text under a CDF name', bundle: 'garbage-cdf', day: '2015-11-03', error: /^rejected outputs: mms1_fgm_srvy_l1a_20151103_v1\.0\.0\.cdf: 'mms1_fgm_srvy_l1a_20151103_v1\.0\.0\.cdf' is not a readable CDF/, exitCode: 0 },
  { behaviour: 'writes a truncated CDF', bundle: 'corrupt-cdf', day: '2015-11-04', error: /^rejected outputs: mms1_fgm_srvy_l1a_20151104_v1\.0\.0\.cdf: .* is not a readable CDF/, exitCode: 0, log: /cut short/ },
  { behaviour: 'writes a CDF that fails the ISTP check', bundle: 'istp-fail', day: '2015-11-05', error: /^rejected outputs: mms1_fgm_srvy_l1a_20151105_v1\.0\.0\.cdf: fails the ISTP check: .+/, exitCode: 0 },
  { behaviour: 'writes a product its manifest does not declare', bundle: 'undeclared-product', day: '2015-11-06', error: /^rejected outputs: mms1_fgm_srvy_l0_20151106_v0\.0\.1\.dat: product mms1_fgm_srvy_l0 is not declared in the manifest of fgm-l1a$/, exitCode: 0 },
  { behaviour: 'exits 0 without outputs', bundle: 'no-output', day: '2015-11-07', error: /^the processor exited 0 but wrote no output$/, exitCode: 0, log: /nothing to do/ },
  { behaviour: 'writes a file whose name does not parse', bundle: 'bad-name', day: '2015-11-08', error: /^rejected outputs: fgm_l1a_output\.cdf: .*matches no file-name pattern/, exitCode: 0 },
];

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`processor faults on ${backend.name}`, () => {
    let t: TestSdc;
    beforeAll(async () => {
      t = await startTestSdc(backend, { processing: { retryDelaysMs: [50], concurrency: 2, debounceMs: 50 } });
      await t.sdc.startProcessing(['production']);
    });
    afterAll(async () => t?.close());

    for (const fault of cases) {
      it(`when the processor ${fault.behaviour}, then its job is retried, then dead with the reason, and nothing is catalogued`, async () => {
        const deployment = await t.sdc.processors.deploy(path.join(FIXTURES, fault.bundle), 'production', 'test');
        const day = (await demoDay(t.sdc, path.join(t.dataDir, 'arrivals'), fault.day)).get(1)!;
        await ingestAll(t.sdc, [day.l0]);
        await waitUntilQuiet(t.sdc, { timeoutMs: 30_000, settleMs: 300 });

        const jobs = await jobsOfDay(t.sdc, fault.day);
        expect(jobs).toHaveLength(1);
        const job = jobs[0]!;
        expect(job).toMatchObject({ processor: 'fgm-l1a', processor_version: deployment.version, tier: 'production', state: 'dead', attempts: 2, exit_code: fault.exitCode });
        expect(job.error).toMatch(fault.error);
        if (fault.log) expect(job.log).toMatch(fault.log);
        expect(job.finished_at).not.toBeNull();
        const outputs = await t.sdc.catalog.db.selectFrom('files').select('name').where('job_id', '=', job.id).execute();
        expect(outputs).toEqual([]);
        const dead = await t.sdc.bus.takeDeadLetters(jobQueue('mms', 'production', 'fgm', [50]).name, 10);
        expect(dead.map((d) => (d.body as { jobId: number }).jobId)).toEqual([job.id]);
        expect(dead[0]!.reason).toContain(job.error!);
      });
    }
  });
}
