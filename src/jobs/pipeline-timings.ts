import diagnostics_channel from 'node:diagnostics_channel';

/**
 * Where the time of processing goes, published on Node diagnostics channels for whoever listens
 * (an APM agent, `bench/orchestration.bench.ts`); with no subscriber nothing is built or sent.
 */

/** The trigger handled one arrival's `file.ingested` (marking or evaluating its scopes, in one transaction). */
export interface ArrivalTriggered {
  fileName: string;
  durationMs: number;
  queued: readonly number[];
}

/** The steps of one job that succeeded, from its claim to the removal of its scratch folder. */
export type JobStep = 'claim' | 'stage' | 'run' | 'check' | 'commit' | 'cleanup';

export interface JobTimed {
  jobId: number;
  inputs: readonly string[];
  outputs: readonly string[];
  stepsMs: Readonly<Record<JobStep, number>>;
}

export const arrivalTriggeredChannel = diagnostics_channel.channel('sdc:trigger:arrival-handled');
export const jobSucceededChannel = diagnostics_channel.channel('sdc:jobs:succeeded');

/** Times consecutive steps: each `lap` records the time since the previous one (or since creation). */
export class StepClock {
  private last = performance.now();
  readonly ms: Partial<Record<JobStep, number>> = {};

  lap(step: JobStep): void {
    const now = performance.now();
    this.ms[step] = (this.ms[step] ?? 0) + now - this.last;
    this.last = now;
  }

  /** Publishes a succeeded job's timings when someone listens. */
  publish(job: { id: number; inputs: readonly { name: string }[] }, outputs: readonly { name: string }[]): void {
    if (!jobSucceededChannel.hasSubscribers) return;
    const stepsMs = { claim: 0, stage: 0, run: 0, check: 0, commit: 0, cleanup: 0, ...this.ms };
    jobSucceededChannel.publish({ jobId: job.id, inputs: job.inputs.map((i) => i.name), outputs: outputs.map((o) => o.name), stepsMs } satisfies JobTimed);
  }
}
