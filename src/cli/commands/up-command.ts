import type { Command } from 'commander';
import { openSdc } from '../../app/open-sdc.js';
import { createRootLogger } from '../../logging/logger.js';
import { commandConfig, untilSignal } from '../cli-context.js';

/** `sdc up`: every component in one process (small sites, the embedded default). */
export function registerUpCommand(program: Command): void {
  program
    .command('up')
    .description('run the whole SDC in this process: drop-folder ingest, processing, outbox relay, the HTTP API and the archive schedules (backup, audit); SIGTERM drains and exits 0')
    .option('--no-api', 'do not serve HTTP')
    .option('--no-drop', 'do not watch the drop folder')
    .option('--no-processing', 'do not trigger or run jobs')
    .action(async (options: { api: boolean; drop: boolean; processing: boolean }, command: Command) => {
      const config = await commandConfig(command);
      const sdc = await openSdc(config, { logger: createRootLogger({ level: config.log.level }) });
      if (options.processing) await sdc.startProcessing();
      if (options.drop) await sdc.startDropFolder();
      if (options.api) console.log(`serving ${await sdc.startApi()}`);
      (await sdc.openArchive()).startSchedule();
      console.log(`catalog ${sdc.catalog.description}, bus ${sdc.bus.description}, store ${sdc.store.description}`);
      const signal = await untilSignal();
      console.log(`${signal}: draining`);
      await sdc.stop();
    });
}
