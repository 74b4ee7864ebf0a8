/**
 * Orchestration cost of processing, on PostgreSQL + RabbitMQ, with the tiny test mission and a
 * no-op processor (`bench/fixtures/noop-cal`: one `sh` start per job, no other program):
 *
 * - latency per job, one job at a time: from the arrival's commit to its output's `file.ingested`
 *   event consumed (trigger -> job queued -> run -> outputs checked and catalogued -> announced),
 *   and the orchestration overhead, that latency minus the no-op processor's own run measured
 *   alone through the same runtime in the same run; next to the bus's own publish -> consume
 *   round trip of one message; and where that latency goes, step by step (medians), from the
 *   timings the trigger and the worker publish on their diagnostics channels
 *   (src/jobs/pipeline-timings.ts) and the bench's own clock at both ends;
 * - jobs/s with 2 workers (two worker processes, bench/orchestration-worker.ts, competing on the
 *   job queue, running 1, then 4 jobs at a time each, after an untimed run that has their code
 *   compiled), from their start on a queue of arrivals' events to the last output announced,
 *   next to the raw rate of publishing and consuming the same number of messages; the arrivals
 *   are ingested (one batch, its own figure) before the clock starts.
 */
import { fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { openSdc, type Sdc } from '../src/app/open-sdc.js';
import type { SdcConfigInput } from '../src/config/config-schema.js';
import { loadConfig } from '../src/config/load-config.js';
import type { FileIngestedEvent } from '../src/events/event-types.js';
import { arrivalTriggeredChannel, jobSucceededChannel, type ArrivalTriggered, type JobStep, type JobTimed } from '../src/jobs/pipeline-timings.js';
import { triggerQueue } from '../src/jobs/trigger-consumer.js';
import { createRootLogger } from '../src/logging/logger.js';
import { loadProcessorBundle } from '../src/processors/processor-manifest.js';
import { ProcessRuntime } from '../src/processors/process-runtime.js';
import { createTestDatabase } from '../test/support/postgres-database.js';
import { createTestVhost } from '../test/support/rabbitmq-vhost.js';
import type { WorkerCommand, WorkerReply } from './orchestration-worker.js';
import { report } from './report.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const TINY = path.join(here, '..', 'test', 'fixtures', 'missions', 'tiny');
const NOOP = path.join(here, 'fixtures', 'noop-cal');
const LATENCY_JOBS = Number(process.env.BENCH_ORCHESTRATION_LATENCY_JOBS ?? 100);
const THROUGHPUT_JOBS = Number(process.env.BENCH_ORCHESTRATION_JOBS ?? 300);
/** Jobs of the untimed first run of the worker processes. */
const WARM_UP_JOBS = 200;
/** Jobs each of the two workers runs at once, one throughput run per value. */
const SLOTS = (process.env.BENCH_ORCHESTRATION_SLOTS ?? '1,4').split(',').map(Number);
const POSTGRES = process.env.SDC_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const AMQP = process.env.SDC_TEST_AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';

export default async function orchestrationBench(): Promise<void> {
  const database = await createTestDatabase(POSTGRES);
  const vhost = await createTestVhost(AMQP, 'bench');
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'sdc-bench-orchestration-'));
  const arrivals = path.join(dataDir, 'arrivals');
  await mkdir(arrivals, { recursive: true });
  const overrides = (concurrency: number): Partial<SdcConfigInput> => ({
    catalog: { kind: 'postgres', url: database.url, poolSize: 10 },
    bus: { kind: 'amqp', url: vhost.url },
    dataDir,
    mission: TINY,
    ingest: { stableMs: 0 },
    processing: { concurrency, retryDelaysMs: [], debounceMs: 0 },
  });
  const open = async (concurrency: number) => openSdc(await loadConfig({ env: {}, overrides: overrides(concurrency) }), { logger: createRootLogger({ level: process.env.BENCH_LOG ?? 'error' }) });
  const running: Sdc[] = [];
  let stopWorkers = async (): Promise<unknown> => undefined;
  try {
    const first = await open(1);
    running.push(first);
    await first.processors.deploy(NOOP, 'production', 'bench');
    const outputs = await watchOutputs(first);
    first.relay.start();
    const single = await open(1);
    running.push(single);
    await single.startProcessing(['production']);
    const roundTripMs = await busRoundTripMs(first, 200);
    const processorMs = await processorAloneMs(dataDir, 50);
    const messagesPerSecond = await busThroughput(first, THROUGHPUT_JOBS);

    await jobLatencies(first, outputs, arrivals, 0, 5);
    // The planner's statistics as a running SDC has them: autovacuum analyses a table within a
    // minute of its first 50 changes, and this bench is shorter; a never-analysed catalog leaves
    // the planner guessing 0.5 % per equality and choosing indexes by chance.
    await sql`analyze`.execute(first.catalog.db);
    const timeline = watchTimeline();
    const latencies = await jobLatencies(first, outputs, arrivals, 5, LATENCY_JOBS, timeline);
    const latencyMs = median(latencies);
    report({ name: `job latency, one at a time, median of ${LATENCY_JOBS} (arrival committed -> output announced)`, value: latencyMs, unit: 'ms', baseline: { name: 'bus publish -> consume round trip of one message', value: roundTripMs } });
    report({ name: 'no-op processor run alone through the process runtime (median)', value: processorMs, unit: 'ms' });
    report({ name: 'orchestration overhead per job to output announced (latency - processor run)', value: latencyMs - processorMs, unit: 'ms', baseline: { name: 'bus publish -> consume round trip', value: roundTripMs } });
    timeline.stop();
    const indexed = timeline.untilIndexed();
    report({ name: `orchestration overhead per job to outputs indexed, the issue's span (arrival committed -> outputs catalogued, minus processor run), median of ${indexed.length}`, value: median(indexed) - processorMs, unit: 'ms', target: '< 20 ms' });
    for (const [step, values] of timeline.steps()) report({ name: `  step (median of ${values.length}): ${step}`, value: median(values), unit: 'ms' });

    await single.stop();
    running.splice(running.indexOf(single), 1);

    // The first SDC only ingests and observes; the workers are processes of their own, as `sdc
    // worker` runs, competing on the job queue. The arrivals are ingested before the workers
    // start, their events waiting in the trigger queue, so that the clock runs from trigger to
    // outputs indexed, as the latency's does from the arrival's commit: ingest has its own figure
    // (a batch, before the clock starts). A first run, untimed, has the workers' code compiled.
    const workers = [await spawnWorker(), await spawnWorker()];
    stopWorkers = () => Promise.all(workers.map((w) => w.exit()));
    let next = LATENCY_JOBS + 5;
    const runs = [{ concurrency: SLOTS[0]!, jobs: WARM_UP_JOBS, timed: false }, ...SLOTS.map((concurrency) => ({ concurrency, jobs: THROUGHPUT_JOBS, timed: true }))];
    for (const { concurrency, jobs, timed } of runs) {
      await Promise.all(workers.map((w) => w.command({ open: overrides(concurrency) })));
      const { ingestPerSecond, jobsPerSecond } = await throughput(first, workers, outputs, arrivals, next, jobs);
      await Promise.all(workers.map((w) => w.command('stop')));
      next += jobs;
      if (!timed) continue;
      report({ name: `jobs/s with 2 worker processes running ${concurrency} job(s) at a time each, ${jobs} jobs (workers started on ${jobs} queued arrivals -> last output announced)`, value: jobsPerSecond, unit: 'jobs/s', baseline: { name: `raw publish + consume of ${jobs} messages`, value: messagesPerSecond }, target: '>= 100 jobs/s' });
      report({ name: `  (before the clock: ${jobs} arrivals ingested in one batch and their events relayed)`, value: ingestPerSecond, unit: 'files/s' });
    }
  } finally {
    await stopWorkers();
    for (const sdc of running.reverse()) await sdc.stop();
    await vhost.dispose();
    await database.drop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** Calls the waiter of each calibrated output name as its `file.ingested` event is consumed. */
type Outputs = Map<string, () => void>;

async function watchOutputs(sdc: Sdc): Promise<Outputs> {
  const waiting: Outputs = new Map();
  await sdc.bus.declareQueue({ name: 'bench.outputs', bindings: ['file.ingested.#'], retryDelaysMs: [] });
  await sdc.bus.consume<FileIngestedEvent>('bench.outputs', async (d) => {
    waiting.get(d.body.name)?.();
    waiting.delete(d.body.name);
  }, { prefetch: 500 });
  return waiting;
}

function announced(outputs: Outputs, name: string): Promise<void> {
  return new Promise((resolve) => outputs.set(name, resolve));
}

/** A raw file of the tiny mission (one per day and spacecraft) and its calibrated output's name. */
function nthFile(n: number): { raw: string; output: string } {
  const day = new Date(Date.UTC(2020, 0, 1) + Math.floor(n / 2) * 86_400_000).toISOString().slice(0, 10);
  const spacecraft = `T${(n % 2) + 1}`;
  return { raw: `TINY-${spacecraft}-MAG-RAW-${day}-R1.txt`, output: `TINY-${spacecraft}-MAG-CAL-${day}-R1.txt` };
}

async function jobLatencies(sdc: Sdc, outputs: Outputs, folder: string, from: number, count: number, timeline?: Timeline): Promise<number[]> {
  const latencies: number[] = [];
  for (let n = from; n < from + count; n++) {
    const { raw, output } = nthFile(n);
    await writeFile(path.join(folder, raw), `${n}\n`);
    const done = announced(outputs, output);
    await sdc.ingest.ingest({ path: path.join(folder, raw), name: raw, source: 'drop' });
    const started = performance.now();
    await done;
    const ended = performance.now();
    latencies.push(ended - started);
    timeline?.job(raw, started, ended);
  }
  return latencies;
}

/** Ordered names of the steps of one job's latency, the job's own steps among them. */
const STEPS: [string, JobStep | undefined][] = [
  ['arrival event relayed and delivered to the trigger', undefined],
  ['trigger: event handled and job queued, one transaction', undefined],
  ['job.requested relayed and delivered to a worker', undefined],
  ['worker: job claimed (running) and its deployment read', 'claim'],
  ['worker: inputs staged, job file written, bundle verified', 'stage'],
  ['worker: processor run', 'run'],
  ['worker: outputs checked (names, products, ISTP)', 'check'],
  ['worker: outputs stored and catalogued with the job, one transaction', 'commit'],
  ["output's file.ingested relayed and delivered", undefined],
];

type Timeline = ReturnType<typeof watchTimeline>;

/**
 * Splits each job's latency into steps: the trigger and the worker publish their durations on
 * diagnostics channels (heard here as they finish, on the same clock, since every SDC of the
 * bench runs in this process); what lies between is the relay and the bus.
 */
function watchTimeline() {
  const triggered = new Map<string, { end: number; durationMs: number }>();
  const worked = new Map<string, { end: number; stepsMs: JobTimed['stepsMs'] }>();
  const onTrigger = (message: unknown) => {
    const m = message as ArrivalTriggered;
    triggered.set(m.fileName, { end: performance.now(), durationMs: m.durationMs });
  };
  const onJob = (message: unknown) => {
    const m = message as JobTimed;
    for (const input of m.inputs) worked.set(input, { end: performance.now(), stepsMs: m.stepsMs });
  };
  arrivalTriggeredChannel.subscribe(onTrigger);
  jobSucceededChannel.subscribe(onJob);
  const ends = new Map<string, { committed: number; announced: number }>();
  return {
    job(raw: string, committed: number, announced: number): void {
      ends.set(raw, { committed, announced });
    },
    /** Each job's time from its arrival's commit to its outputs' commit with the job's success. */
    untilIndexed(): number[] {
      return [...ends].flatMap(([raw, { committed }]) => {
        const job = worked.get(raw);
        return job ? [job.end - job.stepsMs.cleanup - committed] : [];
      });
    },
    /** Each step's durations over the jobs timed end to end (a worker reports a job after its output may be announced). */
    steps(): [string, number[]][] {
      const steps = new Map<string, number[]>(STEPS.map(([name]) => [name, []]));
      const add = (index: number, ms: number) => steps.get(STEPS[index]![0])!.push(ms);
      for (const [raw, { committed, announced }] of ends) {
        const trigger = triggered.get(raw);
        const job = worked.get(raw);
        if (!trigger || !job) continue;
        const s = job.stepsMs;
        const workerStart = job.end - (s.claim + s.stage + s.run + s.check + s.commit + s.cleanup);
        add(0, trigger.end - trigger.durationMs - committed);
        add(1, trigger.durationMs);
        add(2, workerStart - trigger.end);
        STEPS.forEach(([, step], index) => step && add(index, s[step]));
        add(8, announced - (workerStart + s.claim + s.stage + s.run + s.check + s.commit));
      }
      return [...steps].filter(([, values]) => values.length > 0);
    },
    stop(): void {
      arrivalTriggeredChannel.unsubscribe(onTrigger);
      jobSucceededChannel.unsubscribe(onJob);
    },
  };
}

/**
 * Ingests `count` arrivals while no trigger consumer runs, waits until their events wait in the
 * trigger queue, then starts the workers (each also consumes arrivals into jobs) and times them
 * until the last output is announced.
 */
async function throughput(sdc: Sdc, workers: WorkerProcess[], outputs: Outputs, folder: string, from: number, count: number): Promise<{ ingestPerSecond: number; jobsPerSecond: number }> {
  const files = Array.from({ length: count }, (_, i) => nthFile(from + i));
  for (const { raw } of files) await writeFile(path.join(folder, raw), '1\n2\n');
  const done = Promise.all(files.map(({ output }) => announced(outputs, output)));
  const ingestStarted = performance.now();
  await sdc.ingest.ingestMany(files.map(({ raw }) => ({ path: path.join(folder, raw), name: raw, source: 'drop' as const })));
  const queue = triggerQueue(sdc.mission.config.id).name;
  while ((await sdc.bus.queueDepth(queue)) < count) await new Promise((resolve) => setTimeout(resolve, 5));
  const ingestPerSecond = count / ((performance.now() - ingestStarted) / 1000);
  const started = performance.now();
  await Promise.all(workers.map((worker) => worker.command('start')));
  await Promise.race([done, ...workers.map((worker) => worker.crashed)]);
  return { ingestPerSecond, jobsPerSecond: count / ((performance.now() - started) / 1000) };
}

/** A worker process (bench/orchestration-worker.ts) and the means to command it. */
interface WorkerProcess {
  /** Resolves when the worker has done the command; rejects with its reason if it failed. */
  command(command: Exclude<WorkerCommand, 'exit'>): Promise<void>;
  /** Rejects if the process ends before it is told to exit. */
  crashed: Promise<never>;
  exit(): Promise<void>;
}

async function spawnWorker(): Promise<WorkerProcess> {
  const child = fork(path.join(here, 'orchestration-worker.ts'), [], { execArgv: ['--import', 'tsx'] });
  let waiting: { resolve: () => void; reject: (error: Error) => void } | undefined;
  let exiting = false;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const crashed = exited.then(() => {
    const error = new Error('a bench worker process ended on its own');
    waiting?.reject(error);
    if (!exiting) throw error;
    return new Promise<never>(() => undefined);
  });
  crashed.catch(() => undefined);
  child.on('message', (reply: WorkerReply) => {
    const command = waiting;
    waiting = undefined;
    if ('done' in reply) command?.resolve();
    else command?.reject(new Error(`a bench worker failed to ${reply.failed}`));
  });
  const reply = () => new Promise<void>((resolve, reject) => (waiting = { resolve, reject }));
  await reply();
  return {
    command(command) {
      const done = reply();
      child.send(command);
      return done;
    },
    crashed,
    async exit() {
      exiting = true;
      if (child.exitCode === null && child.signalCode === null) child.send('exit');
      await exited;
    },
  };
}

async function processorAloneMs(dataDir: string, runs: number): Promise<number> {
  const bundle = await loadProcessorBundle(NOOP);
  const dir = path.join(dataDir, 'alone');
  await mkdir(path.join(dir, 'in'), { recursive: true });
  await mkdir(path.join(dir, 'out'), { recursive: true });
  await writeFile(path.join(dir, 'in', 'TINY-T1-MAG-RAW-2020-01-01-R1.txt'), '1\n');
  const runtime = new ProcessRuntime();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    const result = await runtime.run({ jobId: i, bundle, jobFile: path.join(dir, 'job.json'), inputDir: path.join(dir, 'in'), outputDir: path.join(dir, 'out'), timeoutMs: 10_000, env: {} });
    if (result.exitCode !== 0) throw new Error(`the no-op processor failed: ${result.log}`);
    times.push(performance.now() - started);
  }
  return median(times);
}

async function busRoundTripMs(sdc: Sdc, count: number): Promise<number> {
  let received: (() => void) | undefined;
  await sdc.bus.declareQueue({ name: 'bench.ping', bindings: ['bench.ping'], retryDelaysMs: [] });
  const consumer = await sdc.bus.consume('bench.ping', async () => received?.(), { prefetch: 1 });
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    const done = new Promise<void>((resolve) => (received = resolve));
    await sdc.bus.publish([{ id: randomUUID(), type: 'bench.ping', routingKey: 'bench.ping', body: { i } }]);
    await done;
    times.push(performance.now() - started);
  }
  await consumer.stop();
  return median(times);
}

async function busThroughput(sdc: Sdc, count: number): Promise<number> {
  let left = count;
  let finished!: () => void;
  const done = new Promise<void>((resolve) => (finished = resolve));
  await sdc.bus.declareQueue({ name: 'bench.flood', bindings: ['bench.flood'], retryDelaysMs: [] });
  const consumer = await sdc.bus.consume('bench.flood', async () => void (--left === 0 && finished()), { prefetch: 100 });
  const started = performance.now();
  await sdc.bus.publish(Array.from({ length: count }, (_, i) => ({ id: randomUUID(), type: 'bench.flood', routingKey: 'bench.flood', body: { i } })));
  await done;
  const seconds = (performance.now() - started) / 1000;
  await consumer.stop();
  return count / seconds;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}
