/**
 * `sdc worker --instruments`: on one PostgreSQL and one RabbitMQ, a worker of one instrument takes
 * only that instrument's jobs; jobs of an instrument no worker takes yet wait in their queue and
 * are run once a worker of that instrument starts.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { backends } from '../support/backends.js';
import { openWorkerTestBed, type WorkerTestBed } from './sdc-process.js';

const MISSION = path.resolve('test/operations/fixtures/duo');
const DAYS = ['2020-03-01', '2020-03-02', '2020-03-03'];
const production = backends()[1]!;

describe.skipIf(!production.available)('workers of chosen instruments on PostgreSQL + RabbitMQ', () => {
  let bed: WorkerTestBed;

  beforeAll(async () => {
    bed = await openWorkerTestBed({ backend: production, mission: MISSION, processing: { concurrency: 2 }, ledgerVariable: 'DUO_LEDGER' });
  }, 60_000);

  afterAll(async () => bed?.close());

  const jobsOf = async (processor: string) => bed.sdc.catalog.db.selectFrom('jobs').select(['state', 'attempts']).where('processor', '=', processor).execute();
  const ledgerLines = async () => (await readFile(bed.ledger, 'utf8').catch(() => '')).split('\n').filter(Boolean);
  async function waitUntilSucceeded(processor: string): Promise<void> {
    for (let i = 0; i < 600; i++) {
      const jobs = await jobsOf(processor);
      if (jobs.length === DAYS.length && jobs.every((j) => j.state === 'succeeded')) return;
      await sleep(100);
    }
  }

  it('when a mag worker runs and later an ion worker starts, then each runs only its instrument jobs, the ion jobs wait meanwhile, and each job runs once', async () => {
    const magWorker = bed.start(['worker', '--tiers', 'production', '--instruments', 'mag', '--no-triggers']);
    // Generous: on a loaded CI machine compiling the sources for a child process takes a while.
    await magWorker.waitFor('worker on sdc.duo.jobs.production.mag:', 150_000);

    const drop = path.join(bed.dataDir, 'arrivals');
    await mkdir(drop, { recursive: true });
    for (const day of DAYS) {
      for (const instrument of ['MAG', 'ION']) {
        const name = `DUO-S1-${instrument}-RAW-${day}-R1.txt`;
        await writeFile(path.join(drop, name), `${instrument} ${day}\n`);
        expect((await bed.sdc.ingest.ingest({ path: path.join(drop, name), name, source: 'drop' })).status).toBe('ingested');
      }
    }
    bed.sdc.relay.wake();

    await waitUntilSucceeded('mag-cal');
    expect((await jobsOf('mag-cal')).map((j) => [j.state, j.attempts])).toEqual(DAYS.map(() => ['succeeded', 1]));
    // No worker takes ion jobs yet: they stay queued, their messages wait in the ion queue.
    expect((await jobsOf('ion-cal')).map((j) => j.state)).toEqual(DAYS.map(() => 'queued'));
    await vi.waitFor(async () => expect(await bed.sdc.bus.queueDepth('sdc.duo.jobs.production.ion')).toBe(DAYS.length), { timeout: 10_000 });

    const ionWorker = bed.start(['worker', '--tiers', 'production', '--instruments', 'ion', '--no-triggers']);
    await ionWorker.waitFor('worker on sdc.duo.jobs.production.ion:', 150_000);
    await waitUntilSucceeded('ion-cal');
    expect((await jobsOf('ion-cal')).map((j) => [j.state, j.attempts])).toEqual(DAYS.map(() => ['succeeded', 1]));

    const lines = await ledgerLines();
    const ranBy = (pid: number) => lines.filter((l) => l.endsWith(` ${pid}`)).map((l) => l.split(' ')[0]).sort();
    expect(ranBy(magWorker.pid)).toEqual(DAYS.map((d) => `DUO-S1-MAG-RAW-${d}-R1.txt`));
    expect(ranBy(ionWorker.pid)).toEqual(DAYS.map((d) => `DUO-S1-ION-RAW-${d}-R1.txt`));
    expect(lines).toHaveLength(2 * DAYS.length);
    const outputs = await bed.sdc.catalog.db.selectFrom('files').select('name').where('level', '=', 'cal').orderBy('name').execute();
    expect(outputs).toHaveLength(2 * DAYS.length);

    for (const worker of [magWorker, ionWorker]) {
      worker.child.kill('SIGTERM');
      expect(await worker.exited).toBe(0);
    }
  }, 300_000);

  it('when --instruments names an instrument the mission lacks, then the worker exits 2 naming it and the mission instruments', async () => {
    const worker = bed.start(['worker', '--instruments', 'mag,plasma', '--no-triggers']);
    expect(await worker.exited).toBe(2);
    expect(worker.stderr()).toContain('sdc: --instruments: no instrument plasma in mission duo (instruments: mag, ion)');
  }, 150_000);
});
