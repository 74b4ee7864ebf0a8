import type { Command } from 'commander';
import { openSdc } from '../../app/open-sdc.js';
import { createRootLogger } from '../../logging/logger.js';
import { commandConfig } from '../cli-context.js';
import { drainOnSignal } from '../drain-on-signal.js';

/** `sdc up`: every component in one process (small sites, the embedded default). */
export function registerUpCommand(program: Command): void {
  program
    .command('up')
    .description('run the whole SDC in this process (small sites, the embedded default): drop-folder ingest, processing, outbox relay, the HTTP API and the scheduler (release policy, archive schedules, operations monitor); same as sdc api + sdc worker --drop + sdc scheduler; SIGTERM drains and exits 0')
    .option('--no-api', 'do not serve HTTP')
    .option('--no-drop', 'do not watch the drop folder')
    .option('--no-processing', 'do not trigger or run jobs')
    .option('--no-sitl', 'do not consume the SITL feeds (burst metadata, segment table, status) nor relay SITL files')
    .option('--no-scheduler', 'do not run the cron jobs (when another process of the site is the scheduler)')
    .action(async (options: { api: boolean; drop: boolean; processing: boolean; sitl: boolean; scheduler: boolean }, command: Command) => {
      const config = await commandConfig(command);
      const sdc = await openSdc(config, { logger: createRootLogger({ level: config.log.level }) });
      if (options.processing) await sdc.startProcessing();
      if (options.drop) await sdc.startDropFolder();
      if (options.sitl) await sdc.startSitl();
      if (options.api) console.log(`serving ${await sdc.startApi()}`);
      if (options.scheduler) await sdc.startScheduler();
      console.log(`catalog ${sdc.catalog.description}, bus ${sdc.bus.description}, store ${sdc.store.description}`);
      await drainOnSignal(sdc, config.operations.drainTimeoutMs);
    });
}
