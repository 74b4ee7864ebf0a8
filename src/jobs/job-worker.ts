import type { Kysely } from 'kysely';
import pLimit from 'p-limit';
import { PermanentFailure, type Consumer, type Delivery, type EventBus, type QueueDefinition } from '../bus/event-bus.js';
import { UnknownQueueError } from '../bus/bus-errors.js';
import type { CatalogSchema, JobRow } from '../catalog/catalog-schema.js';
import { SdcError } from '../errors/sdc-error.js';
import { jobRequestedPattern, type JobRequestedEvent } from '../events/event-types.js';
import type { Logger } from '../logging/logger.js';
import { claimJob } from './job-claim.js';
import { StepClock } from './pipeline-timings.js';
import { JobFailure, type JobRunner } from './job-runner.js';

export interface JobWorkerOptions {
  mission: string;
  tier: 'production' | 'staging';
  /** Every instrument of the mission: each gets its queue, so a job waits there until a worker of its instrument runs. */
  instruments: readonly string[];
  /** The instruments whose queues this worker consumes (a subset of `instruments`). */
  consume: readonly string[];
  /** Jobs run at once by this worker, over all the queues it consumes. */
  concurrency: number;
  retryDelaysMs: number[];
  /** Called, without being awaited, when a job becomes dead (to notify its team); its errors are logged. */
  onJobDead?: (job: JobRow, reason: string) => void | Promise<void>;
}

/** The queue of one mission's jobs of one tier and one instrument; every worker taking them competes on it. */
export function jobQueue(mission: string, tier: string, instrument: string, retryDelaysMs: number[]): QueueDefinition {
  return { name: `sdc.${mission}.jobs.${tier}.${instrument}`, bindings: [jobRequestedPattern(mission, instrument, tier)], retryDelaysMs, maxPriority: 9 };
}

/**
 * Declares the job queue of every tier and instrument of the mission, so that a job queued before
 * any worker of its instrument or tier ever started waits in its queue instead of being dropped.
 */
export async function declareJobQueues(bus: EventBus, mission: string, instruments: readonly string[], retryDelaysMs: number[]): Promise<void> {
  for (const tier of ['production', 'staging']) {
    for (const instrument of instruments) await bus.declareQueue(jobQueue(mission, tier, instrument, retryDelaysMs));
  }
}

/**
 * The per-tier queue of releases before queues per instrument. No new message reaches it (the
 * routing key now has the instrument before the tier), so it only drains: workers that take every
 * instrument consume it while it exists; an operator deletes it once it and its retry queues are empty.
 */
export function legacyJobQueue(mission: string, tier: string, retryDelaysMs: number[]): QueueDefinition {
  return { name: `sdc.${mission}.jobs.${tier}`, bindings: [], retryDelaysMs, maxPriority: 9 };
}

/**
 * Takes `job.requested` messages from the queues of the chosen instruments and runs the jobs. A
 * succeeded job is never run again (a redelivery is acknowledged); a failure is recorded and
 * rethrown so the bus retries it after a delay; the last failure marks the job dead and the
 * message goes to the dead-letter queue of its queue. The message is acknowledged only after the
 * job's outcome has committed. One limit bounds the jobs running at once over all the queues.
 */
export class JobWorker {
  private readonly consumers: Consumer[] = [];
  private readonly limit: ReturnType<typeof pLimit>;

  constructor(
    private readonly db: Kysely<CatalogSchema>,
    private readonly bus: EventBus,
    private readonly runner: JobRunner,
    private readonly options: JobWorkerOptions,
    private readonly logger: Logger,
  ) {
    const unknown = options.consume.filter((i) => !options.instruments.includes(i));
    if (unknown.length > 0) throw new SdcError('invalid-request', `no instrument ${unknown.join(', ')} in mission ${options.mission} (instruments: ${options.instruments.join(', ')})`, { unknown });
    this.limit = pLimit(options.concurrency);
  }

  async start(): Promise<void> {
    const { mission, tier, retryDelaysMs } = this.options;
    for (const instrument of this.options.instruments) await this.bus.declareQueue(jobQueue(mission, tier, instrument, retryDelaysMs));
    for (const instrument of this.options.consume) await this.take(jobQueue(mission, tier, instrument, retryDelaysMs).name);
    if (this.options.consume.length === this.options.instruments.length) await this.drainLegacyQueue();
  }

  /** Stops taking jobs and waits for the running ones (drain). */
  async stop(): Promise<void> {
    await Promise.all(this.consumers.splice(0).map((c) => c.stop()));
  }

  private async take(queue: string): Promise<void> {
    const consumer = await this.bus.consume<JobRequestedEvent>(queue, (d) => this.limit(() => this.handle(d)), { prefetch: this.options.concurrency });
    this.consumers.push(consumer);
  }

  /** Consumes the former per-tier queue if the broker still has it (messages queued before an upgrade). */
  private async drainLegacyQueue(): Promise<void> {
    const legacy = legacyJobQueue(this.options.mission, this.options.tier, this.options.retryDelaysMs);
    try {
      const depth = await this.bus.queueDepth(legacy.name);
      this.logger.info('draining the former per-tier job queue', { queue: legacy.name, depth });
    } catch (error) {
      if (error instanceof UnknownQueueError) return;
      throw error;
    }
    await this.bus.declareQueue(legacy);
    await this.take(legacy.name);
  }

  private async handle(delivery: Delivery<JobRequestedEvent>): Promise<void> {
    const jobId = delivery.body.jobId;
    const log = this.logger.child({ jobId, messageId: delivery.id, attempt: delivery.attempt });
    const clock = new StepClock();
    const claimed = await claimJob(this.db, jobId);
    if (!claimed) {
      log.info('job already finished or unknown; message acknowledged');
      return;
    }
    const { job } = claimed;
    clock.lap('claim');
    log.info('job started', { processor: `${job.processor}@${job.processor_version}`, tier: job.tier });
    try {
      const outputs = await this.runner.run(claimed, clock);
      clock.lap('cleanup');
      clock.publish(job, outputs);
    } catch (error) {
      const last = delivery.attempt > this.options.retryDelaysMs.length;
      const failure = error instanceof JobFailure ? error : undefined;
      const reason = failure?.reason ?? (error as Error).message;
      await this.db
        .updateTable('jobs')
        .set({ state: last ? 'dead' : 'retrying', finished_at: new Date(), error: reason, log: failure?.log ?? null, exit_code: failure?.exitCode ?? null })
        .where('id', '=', jobId)
        .where('state', '=', 'running')
        .execute();
      log.warn(last ? 'job dead after its last attempt' : 'job failed; it will be retried', { reason });
      if (last && this.options.onJobDead) {
        const dead: JobRow = { ...job, state: 'dead', error: reason, log: failure?.log ?? null, exit_code: failure?.exitCode ?? null };
        const onJobDead = this.options.onJobDead;
        void Promise.resolve().then(() => onJobDead(dead, reason)).catch((e: unknown) => log.warn('onJobDead failed', { error: (e as Error).message }));
      }
      throw last ? new PermanentFailure(reason, { cause: error }) : error;
    }
  }
}
