/**
 * Two `sdc worker` processes on one PostgreSQL and one RabbitMQ share the jobs of a queue; one
 * is stopped with SIGTERM in the middle of a job, finishes that job, exits 0; the other takes
 * the rest. Every job runs once and succeeds, and every output is catalogued once.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../support/backends.js';
import { openWorkerTestBed, type WorkerTestBed } from './sdc-process.js';

const MISSION = path.resolve('test/operations/fixtures/slow');
const DAYS = ['2020-03-01', '2020-03-02', '2020-03-03', '2020-03-04', '2020-03-05', '2020-03-06'];
const production = backends()[1]!;

describe.skipIf(!production.available)('two workers on PostgreSQL + RabbitMQ', () => {
  let bed: WorkerTestBed;

  beforeAll(async () => {
    bed = await openWorkerTestBed({ backend: production, mission: MISSION, processing: { concurrency: 1 }, ledgerVariable: 'SLOW_CAL_LEDGER', env: { SLOW_CAL_SECONDS: '1.5' } });
  }, 60_000);

  afterAll(async () => bed?.close());

  it('when one worker is stopped with SIGTERM mid-job, then it finishes that job and exits 0, the other takes the rest, and nothing is lost or done twice', async () => {
    const [a, b] = [bed.start(['worker', '--tiers', 'production', '--no-triggers']), bed.start(['worker', '--tiers', 'production', '--no-triggers'])];
    // Generous: on a loaded CI machine compiling the sources for a child process takes a while.
    await Promise.all([a.waitFor('worker on sdc.slow.jobs.production.mag', 150_000), b.waitFor('worker on sdc.slow.jobs.production.mag', 150_000)]);

    const drop = path.join(bed.dataDir, 'arrivals');
    await mkdir(drop, { recursive: true });
    for (const day of DAYS) {
      const name = `SLOW-S1-MAG-RAW-${day}-R1.txt`;
      await writeFile(path.join(drop, name), `${day}\n`);
      expect((await bed.sdc.ingest.ingest({ path: path.join(drop, name), name, source: 'drop' })).status).toBe('ingested');
    }
    bed.sdc.relay.wake();

    // Wait until worker A is inside a job, then stop it.
    const started = (pid: number) => lines().filter((l) => l.startsWith('start ') && l.endsWith(` ${pid}`));
    const lines = () => ledgerText.split('\n').filter(Boolean);
    let ledgerText = '';
    for (let i = 0; i < 400 && started(a.pid).length === 0; i++) {
      await sleep(50);
      ledgerText = await readFile(bed.ledger, 'utf8').catch(() => '');
    }
    expect(started(a.pid).length).toBeGreaterThan(0);
    a.child.kill('SIGTERM');
    expect(await a.exited).toBe(0);
    expect(a.stdout()).toContain('SIGTERM: draining');
    expect(a.stdout()).toContain('drained');

    // The other worker takes everything else.
    const db = bed.sdc.catalog.db;
    for (let i = 0; i < 600; i++) {
      const open = await db.selectFrom('jobs').select('id').where('state', '!=', 'succeeded').execute();
      const all = await db.selectFrom('jobs').select('id').execute();
      if (all.length === DAYS.length && open.length === 0) break;
      await sleep(100);
    }
    const jobs = await db.selectFrom('jobs').select(['state', 'attempts']).execute();
    expect(jobs).toHaveLength(DAYS.length);
    expect(jobs.every((j) => j.state === 'succeeded' && j.attempts === 1)).toBe(true);
    const outputs = await db.selectFrom('files').select('name').where('level', '=', 'cal').orderBy('name').execute();
    expect(outputs.map((f) => f.name)).toEqual(DAYS.map((d) => `SLOW-S1-MAG-CAL-${d}-R1.txt`));

    ledgerText = await readFile(bed.ledger, 'utf8');
    const byWorker = (kind: string, pid: number) => lines().filter((l) => l.startsWith(`${kind} `) && l.endsWith(` ${pid}`)).map((l) => l.split(' ')[1]);
    // A finished every job it had begun; B did the rest; each input ran exactly once.
    expect(byWorker('done', a.pid)).toEqual(byWorker('start', a.pid));
    expect(byWorker('done', b.pid)).toEqual(byWorker('start', b.pid));
    expect(byWorker('start', b.pid).length).toBeGreaterThan(0);
    const ran = [...byWorker('start', a.pid), ...byWorker('start', b.pid)].sort();
    expect(ran).toEqual(DAYS.map((d) => `SLOW-S1-MAG-RAW-${d}-R1.txt`));

    b.child.kill('SIGTERM');
    expect(await b.exited).toBe(0);
  }, 300_000);
});
