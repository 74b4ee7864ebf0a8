/**
 * A worker killed with SIGKILL in the middle of a job (PostgreSQL + RabbitMQ: the worker runs in
 * a child process sharing the catalog and the broker; the embedded backend lives in one process
 * and has no second worker to take over). The broker redelivers the unacknowledged job to
 * another worker, which completes it exactly once: one succeeded job row, one set of outputs,
 * one `file.ingested` event per output.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSdc, type Sdc } from '../../src/app/open-sdc.js';
import { waitUntilQuiet } from '../../src/app/wait-until-quiet.js';
import { loadConfig } from '../../src/config/load-config.js';
import { backends } from '../support/backends.js';
import { quietLogger } from '../support/test-sdc.js';
import { observeIngested } from './processing-kit.js';

const TINY = path.resolve('test/fixtures/missions/tiny');
const SLOW = path.resolve('test/fixtures/processors/mag-cal-slow');
const production = backends().find((b) => b.name === 'PostgreSQL + RabbitMQ')!;

describe.skipIf(!production.available)('a worker killed mid-job on PostgreSQL + RabbitMQ', () => {
  let dataDir: string;
  let overrides: Record<string, unknown>;
  let release: () => Promise<void>;
  let sdc: Sdc | undefined;
  let child: ChildProcess | undefined;

  beforeAll(async () => {
    const resources = await production.provision();
    release = resources.release;
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'sdc-worker-crash-'));
    overrides = { ...resources.config, dataDir, mission: TINY, processing: { retryDelaysMs: [200], concurrency: 1, debounceMs: 0 } };
  });
  afterAll(async () => {
    child?.kill('SIGKILL');
    await sdc?.stop();
    await release?.();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('when the worker running a job is killed, then another worker runs it again and it completes exactly once', async () => {
    sdc = await openSdc(await loadConfig({ env: {}, overrides }), { logger: quietLogger() });
    await sdc.processors.deploy(SLOW, 'production', 'test');
    const events = await observeIngested(sdc);
    child = spawn(process.execPath, ['--import', 'tsx', 'test/processing/worker-child.ts', JSON.stringify(overrides)], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve, reject) => {
      child!.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && resolve());
      child!.once('exit', (code) => reject(new Error(`the worker exited with ${code} before it was ready`)));
    });

    const raw = path.join(dataDir, 'TINY-T1-MAG-RAW-2020-03-01-R1.txt');
    await writeFile(raw, '1\n2\n3\n');
    await sdc.ingest.ingest({ path: raw, name: path.basename(raw), source: 'drop' });
    await sdc.relay.flush();
    const work = path.join(dataDir, 'work');
    const started = async () => existsSync(work) && (await readdir(work, { recursive: true })).some((entry) => path.basename(entry) === 'started');
    for (let i = 0; i < 300 && !(await started()); i++) await sleep(100);
    expect(await started()).toBe(true);
    const running = await sdc.catalog.db.selectFrom('jobs').selectAll().executeTakeFirstOrThrow();
    expect(running).toMatchObject({ state: 'running', attempts: 1 });
    const exited = new Promise((resolve) => child!.once('exit', (_code, signal) => resolve(signal)));
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');

    await sdc.startProcessing(['production']);
    await waitUntilQuiet(sdc, { timeoutMs: 30_000, settleMs: 2_500 });

    const jobs = await sdc.catalog.db.selectFrom('jobs').selectAll().execute();
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({ id: running.id, state: 'succeeded', attempts: 2, exit_code: 0, error: null });
    expect(jobs[0]!.log).toMatch(new RegExp(`attempt of job ${running.id} done`));
    const outputs = await sdc.catalog.db.selectFrom('files').select(['name', 'store_key']).where('job_id', '=', running.id).execute();
    expect(outputs).toEqual([{ name: 'TINY-T1-MAG-CAL-2020-03-01-R1.txt', store_key: '2020/t1/cal/TINY-T1-MAG-CAL-2020-03-01-R1.txt' }]);
    expect(events.map((e) => e.body.name).sort()).toEqual(['TINY-T1-MAG-CAL-2020-03-01-R1.txt', 'TINY-T1-MAG-RAW-2020-03-01-R1.txt']);
    const stored = [];
    for await (const entry of sdc.store.list()) stored.push(entry.key);
    expect(stored.sort()).toEqual(['2020/t1/cal/TINY-T1-MAG-CAL-2020-03-01-R1.txt', '2020/t1/raw/TINY-T1-MAG-RAW-2020-03-01-R1.txt']);
  });
});
