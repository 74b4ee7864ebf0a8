import { InvalidArgumentError, Option, type Command } from 'commander';
import { openSdc } from '../../app/open-sdc.js';
import { jobQueue } from '../../jobs/job-worker.js';
import { triggerQueue } from '../../jobs/trigger-consumer.js';
import { createRootLogger } from '../../logging/logger.js';
import { commandConfig } from '../cli-context.js';
import { drainOnSignal } from '../drain-on-signal.js';

type Tier = 'production' | 'staging';

interface WorkerOptions {
  tiers: Tier[];
  triggers: boolean;
  drop: boolean;
  sitl: boolean;
  concurrency?: number;
}

/** `sdc worker`: runs jobs from the queues of the chosen tiers; any number of workers compete on them. */
export function registerWorkerCommand(program: Command): void {
  program
    .command('worker')
    .description('run jobs from the job queues of the chosen tiers (workers on many hosts share them), turn arrivals into jobs, and optionally watch the drop folder and serve the SITL feeds; SIGTERM drains (running jobs finish, or go back to the queue after operations.drainTimeoutMs) and exits 0')
    .addOption(new Option('--tiers <tiers>', 'comma-separated tiers whose job queues to consume (sdc.<mission>.jobs.<tier>)').argParser(parseTiers).default(['production', 'staging'], 'production,staging'))
    .option('--no-triggers', 'do not consume arrivals into jobs (queue sdc.<mission>.triggers)')
    .option('--drop', 'also watch the drop folder (one host of the site)', false)
    .option('--sitl', 'also consume the SITL feeds and relay SITL files (one host of the site; see sdc up)', false)
    .option('--concurrency <n>', 'jobs run at once by this worker (default processing.concurrency)', parsePositive)
    .action(async (options: WorkerOptions, command: Command) => {
      const config = await commandConfig(command, options.concurrency ? { processing: { concurrency: options.concurrency } } : {});
      const sdc = await openSdc(config, { logger: createRootLogger({ level: config.log.level }) });
      await sdc.startProcessing(options.tiers, { triggers: options.triggers });
      if (options.drop) await sdc.startDropFolder();
      if (options.sitl) await sdc.startSitl();
      const mission = sdc.mission.config.id;
      const queues = [...options.tiers.map((tier) => jobQueue(mission, tier, []).name), ...(options.triggers ? [triggerQueue(mission).name] : [])];
      console.log(`worker on ${queues.join(', ')}: ${config.processing.concurrency} job(s) at once (catalog ${sdc.catalog.description}, bus ${sdc.bus.description})`);
      await drainOnSignal(sdc, config.operations.drainTimeoutMs);
    });
}

function parseTiers(value: string): Tier[] {
  const tiers = value.split(',').map((t) => t.trim()).filter(Boolean);
  const bad = tiers.filter((t) => t !== 'production' && t !== 'staging');
  if (tiers.length === 0 || bad.length > 0) throw new InvalidArgumentError(`tiers are production and/or staging, got '${value}'`);
  return [...new Set(tiers)] as Tier[];
}

function parsePositive(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new InvalidArgumentError(`a whole number from 1 to 64, got '${value}'`);
  return n;
}
