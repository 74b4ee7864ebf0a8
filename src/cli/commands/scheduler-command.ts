import type { Command } from 'commander';
import { openSdc } from '../../app/open-sdc.js';
import { createRootLogger } from '../../logging/logger.js';
import { commandConfig } from '../cli-context.js';
import { drainOnSignal } from '../drain-on-signal.js';

/** `sdc scheduler`: the cron jobs of the site; run exactly one. */
export function registerSchedulerCommand(program: Command): void {
  program
    .command('scheduler')
    .description('run the cron jobs (release policy, archive backup/audit/retention schedules, operations monitor); run exactly one per site; SIGTERM lets a running task finish and exits 0')
    .action(async (_options: unknown, command: Command) => {
      const config = await commandConfig(command);
      const sdc = await openSdc(config, { logger: createRootLogger({ level: config.log.level }) });
      await sdc.startScheduler();
      console.log(`scheduler for ${sdc.mission.config.id}: release '${sdc.mission.config.release.schedule}', operations monitor '${config.operations.monitorSchedule}' (catalog ${sdc.catalog.description}, bus ${sdc.bus.description})`);
      await drainOnSignal(sdc, config.operations.drainTimeoutMs);
    });
}
