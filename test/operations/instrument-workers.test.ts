/**
 * `sdc worker --instruments`: on one PostgreSQL and one RabbitMQ, a worker of one instrument takes
 * only that instrument's jobs; jobs of an instrument no worker takes yet wait in their queue and
 * are run once a worker of that instrument starts.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { stringify } from 'yaml';
import { openSdc, type Sdc } from '../../src/app/open-sdc.js';
import { loadConfig } from '../../src/config/load-config.js';
import { backends } from '../support/backends.js';
import { quietLogger } from '../support/test-sdc.js';
import { startSdc, type SdcProcess } from './sdc-process.js';

const MISSION = path.resolve('test/operations/fixtures/duo');
const DAYS = ['2020-03-01', '2020-03-02', '2020-03-03'];
const production = backends()[1]!;

describe.skipIf(!production.available)('workers of chosen instruments on PostgreSQL + RabbitMQ', () => {
  let release: () => Promise<void>;
  let dataDir: string;
  let ledger: string;
  let env: Record<string, string>;
  let sdc: Sdc;
  const workers: SdcProcess[] = [];

  beforeAll(async () => {
    const resources = await production.provision();
    release = resources.release;
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'sdc-instrument-workers-'));
    ledger = path.join(dataDir, 'ledger.txt');
    const config = { ...resources.config, dataDir, mission: MISSION, ingest: { stableMs: 0 }, processing: { concurrency: 2, retryDelaysMs: [500], debounceMs: 0 }, log: { level: 'warn' } };
    const file = path.join(dataDir, 'sdc.config.yaml');
    await writeFile(file, stringify(config));
    env = { SDC_CONFIG: file, DUO_LEDGER: ledger };
    // The test's own SDC only turns arrivals into jobs (and declares every job queue); the child processes run them.
    sdc = await openSdc(await loadConfig({ env: {}, file }), { logger: quietLogger() });
    await sdc.startProcessing([], { triggers: true });
  }, 60_000);

  afterAll(async () => {
    for (const worker of workers) if (worker.child.exitCode === null) worker.child.kill('SIGKILL');
    await sdc?.stop();
    await release?.();
    await rm(dataDir, { recursive: true, force: true });
  });

  const jobsOf = async (processor: string) => sdc.catalog.db.selectFrom('jobs').select(['state', 'attempts']).where('processor', '=', processor).execute();
  const ledgerLines = async () => (await readFile(ledger, 'utf8').catch(() => '')).split('\n').filter(Boolean);
  async function waitUntilSucceeded(processor: string): Promise<void> {
    for (let i = 0; i < 600; i++) {
      const jobs = await jobsOf(processor);
      if (jobs.length === DAYS.length && jobs.every((j) => j.state === 'succeeded')) return;
      await sleep(100);
    }
  }

  it('when a mag worker runs and later an ion worker starts, then each runs only its instrument jobs, the ion jobs wait meanwhile, and each job runs once', async () => {
    const magWorker = startSdc(['worker', '--tiers', 'production', '--instruments', 'mag', '--no-triggers'], env);
    workers.push(magWorker);
    // Generous: on a loaded CI machine compiling the sources for a child process takes a while.
    await magWorker.waitFor('worker on sdc.duo.jobs.production.mag:', 150_000);

    const drop = path.join(dataDir, 'arrivals');
    await mkdir(drop, { recursive: true });
    for (const day of DAYS) {
      for (const instrument of ['MAG', 'ION']) {
        const name = `DUO-S1-${instrument}-RAW-${day}-R1.txt`;
        await writeFile(path.join(drop, name), `${instrument} ${day}\n`);
        expect((await sdc.ingest.ingest({ path: path.join(drop, name), name, source: 'drop' })).status).toBe('ingested');
      }
    }
    sdc.relay.wake();

    await waitUntilSucceeded('mag-cal');
    expect((await jobsOf('mag-cal')).map((j) => [j.state, j.attempts])).toEqual(DAYS.map(() => ['succeeded', 1]));
    // No worker takes ion jobs yet: they stay queued, their messages wait in the ion queue.
    expect((await jobsOf('ion-cal')).map((j) => j.state)).toEqual(DAYS.map(() => 'queued'));
    await vi.waitFor(async () => expect(await sdc.bus.queueDepth('sdc.duo.jobs.production.ion')).toBe(DAYS.length), { timeout: 10_000 });

    const ionWorker = startSdc(['worker', '--tiers', 'production', '--instruments', 'ion', '--no-triggers'], env);
    workers.push(ionWorker);
    await ionWorker.waitFor('worker on sdc.duo.jobs.production.ion:', 150_000);
    await waitUntilSucceeded('ion-cal');
    expect((await jobsOf('ion-cal')).map((j) => [j.state, j.attempts])).toEqual(DAYS.map(() => ['succeeded', 1]));

    const lines = await ledgerLines();
    const ranBy = (pid: number) => lines.filter((l) => l.endsWith(` ${pid}`)).map((l) => l.split(' ')[0]).sort();
    expect(ranBy(magWorker.pid)).toEqual(DAYS.map((d) => `DUO-S1-MAG-RAW-${d}-R1.txt`));
    expect(ranBy(ionWorker.pid)).toEqual(DAYS.map((d) => `DUO-S1-ION-RAW-${d}-R1.txt`));
    expect(lines).toHaveLength(2 * DAYS.length);
    const outputs = await sdc.catalog.db.selectFrom('files').select('name').where('level', '=', 'cal').orderBy('name').execute();
    expect(outputs).toHaveLength(2 * DAYS.length);

    for (const worker of [magWorker, ionWorker]) {
      worker.child.kill('SIGTERM');
      expect(await worker.exited).toBe(0);
    }
  }, 300_000);

  it('when --instruments names an instrument the mission lacks, then the worker exits 2 naming it and the mission instruments', async () => {
    const worker = startSdc(['worker', '--instruments', 'mag,plasma', '--no-triggers'], env);
    workers.push(worker);
    expect(await worker.exited).toBe(2);
    expect(worker.stderr()).toContain('sdc: --instruments: no instrument plasma in mission duo (instruments: mag, ion)');
  }, 150_000);
});
