import cron, { type ScheduledTask } from 'node-cron';
import type { Logger } from '../logging/logger.js';
import type { CampaignService } from './campaign-service.js';
import type { ProcessingSchedulesConfig } from './schedule-config.js';
import type { TriggerService } from './trigger-service.js';

export interface ProcessingSchedulesDependencies {
  trigger: Pick<TriggerService, 'recheckWaiting'>;
  campaigns: Pick<CampaignService, 'pump'>;
  schedules: ProcessingSchedulesConfig;
  logger: Logger;
  /** Called after the pump queued jobs (wakes the outbox relay). */
  onQueued: () => void;
}

/** The running schedules; `stop` waits for a run in progress. */
export interface ProcessingSchedules {
  /** Names of the schedules started (those not turned off). */
  readonly names: readonly string[];
  stop(): Promise<void>;
}

/**
 * Starts the processing schedules of the configuration (`processing.schedules`): the nightly
 * re-check of scopes waiting for inputs and the campaign pump. Whatever process runs processing
 * (`sdc up`, a scheduler process) calls it once; every run is safe to overlap with another
 * process's (waiting scopes are re-marked idempotently, campaigns are locked per tick), and
 * within one process runs never overlap.
 */
export function startProcessingSchedules(deps: ProcessingSchedulesDependencies): ProcessingSchedules {
  const tasks: ScheduledTask[] = [];
  const running = new Set<Promise<void>>();
  const every = (name: string, expression: string | null, run: () => Promise<void>) => {
    if (expression === null) return;
    const guarded = async () => {
      try {
        await run();
      } catch (error) {
        deps.logger.error(`${name} failed; it runs again at its next time`, { schedule: name, error: (error as Error).message });
      }
    };
    tasks.push(cron.schedule(expression, () => {
      const run = guarded().finally(() => running.delete(run));
      running.add(run);
      return run;
    }, { noOverlap: true, name }));
  };
  every('recheck-waiting', deps.schedules.recheckWaiting, async () => {
    const marked = await deps.trigger.recheckWaiting();
    if (marked > 0) deps.logger.info('scopes waiting for inputs made due again', { scopes: marked });
  });
  every('campaign-pump', deps.schedules.campaignPump, async () => {
    const queued = await deps.campaigns.pump();
    if (queued.length > 0) deps.onQueued();
  });
  return {
    names: tasks.map((t) => t.name ?? ''),
    async stop() {
      for (const task of tasks.splice(0)) await task.destroy();
      await Promise.all(running);
    },
  };
}
