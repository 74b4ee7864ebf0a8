import os from 'node:os';
import type { Kysely } from 'kysely';
import { PermanentFailure, type Consumer, type Delivery, type EventBus, type QueueDefinition } from '../bus/event-bus.js';
import type { CatalogSchema, JobRow } from '../catalog/catalog-schema.js';
import { JOB_REQUESTED, type JobRequestedEvent } from '../events/event-types.js';
import type { Logger } from '../logging/logger.js';
import { JobFailure, type JobRunner } from './job-runner.js';

export interface JobWorkerOptions {
  mission: string;
  tier: 'production' | 'staging';
  /** Jobs run at once by this worker. */
  concurrency: number;
  retryDelaysMs: number[];
  /** Called, without being awaited, when a job becomes dead (to notify its team); its errors are logged. */
  onJobDead?: (job: JobRow, reason: string) => void | Promise<void>;
}

/** The queue of one mission's jobs of one tier; every worker of that tier competes on it. */
export function jobQueue(mission: string, tier: string, retryDelaysMs: number[]): QueueDefinition {
  return { name: `sdc.${mission}.jobs.${tier}`, bindings: [`${JOB_REQUESTED}.${mission}.${tier}.#`], retryDelaysMs, maxPriority: 9 };
}

/**
 * Takes `job.requested` messages and runs the jobs. A succeeded job is never run again (a
 * redelivery is acknowledged); a failure is recorded and rethrown so the bus retries it after a
 * delay; the last failure marks the job dead and the message goes to the dead-letter queue.
 * The message is acknowledged only after the job's outcome has committed.
 */
export class JobWorker {
  private consumer: Consumer | undefined;
  private readonly queue: QueueDefinition;

  constructor(
    private readonly db: Kysely<CatalogSchema>,
    private readonly bus: EventBus,
    private readonly runner: JobRunner,
    private readonly options: JobWorkerOptions,
    private readonly logger: Logger,
  ) {
    this.queue = jobQueue(options.mission, options.tier, options.retryDelaysMs);
  }

  async start(): Promise<void> {
    await this.bus.declareQueue(this.queue);
    this.consumer = await this.bus.consume<JobRequestedEvent>(this.queue.name, (d) => this.handle(d), { prefetch: this.options.concurrency });
  }

  /** Stops taking jobs and waits for the running ones (drain). */
  async stop(): Promise<void> {
    await this.consumer?.stop();
    this.consumer = undefined;
  }

  private async handle(delivery: Delivery<JobRequestedEvent>): Promise<void> {
    const jobId = delivery.body.jobId;
    const log = this.logger.child({ jobId, messageId: delivery.id, attempt: delivery.attempt });
    const job = await this.db
      .updateTable('jobs')
      .set((eb) => ({ state: 'running', attempts: eb('attempts', '+', 1), started_at: new Date(), host: os.hostname() }))
      .where('id', '=', jobId)
      .where('state', 'in', ['queued', 'retrying', 'running', 'failed'])
      .returningAll()
      .executeTakeFirst();
    if (!job) {
      log.info('job already finished or unknown; message acknowledged');
      return;
    }
    log.info('job started', { processor: `${job.processor}@${job.processor_version}`, tier: job.tier });
    try {
      await this.runner.run(job);
    } catch (error) {
      const last = delivery.attempt > this.queue.retryDelaysMs.length;
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
