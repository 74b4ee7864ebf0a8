import { InvalidArgumentError, Option, type Command } from 'commander';
import { openSdc } from '../../app/open-sdc.js';
import { jobQueue } from '../../jobs/job-worker.js';
import { triggerQueue } from '../../jobs/trigger-consumer.js';
import { createRootLogger } from '../../logging/logger.js';
import { SdcError } from '../../errors/sdc-error.js';
import { commandConfig } from '../cli-context.js';
import { drainOnSignal } from '../drain-on-signal.js';

type Tier = 'production' | 'staging';

interface WorkerOptions {
  tiers: Tier[];
  instruments?: string[];
  triggers: boolean;
  drop: boolean;
  sitl: boolean;
  concurrency?: number;
}

/** `sdc worker`: runs jobs from the queues of the chosen tiers and instruments; any number of workers compete on them. */
export function registerWorkerCommand(program: Command): void {
  program
    .command('worker')
    .description('run jobs from the job queues of the chosen tiers and instruments (workers on many hosts share them), turn arrivals into jobs, and optionally watch the drop folder and serve the SITL feeds; SIGTERM drains (running jobs finish, or go back to the queue after operations.drainTimeoutMs) and exits 0')
    .addOption(new Option('--tiers <tiers>', 'comma-separated tiers whose job queues to consume (sdc.<mission>.jobs.<tier>.<instrument>)').argParser(parseTiers).default(['production', 'staging'], 'production,staging'))
    .option('--instruments <ids>', 'comma-separated instruments (ids of the mission config) whose job queues to consume (default: all; only then also the former per-tier queues sdc.<mission>.jobs.<tier>, while they exist)', parseList)
    .option('--no-triggers', 'do not consume arrivals into jobs (queue sdc.<mission>.triggers)')
    .option('--drop', 'also watch the drop folder (one host of the site)', false)
    .option('--sitl', 'also consume the SITL feeds and relay SITL files (one host of the site; see sdc up)', false)
    .option('--concurrency <n>', 'jobs run at once by this worker (default processing.concurrency)', parsePositive)
    .action(async (options: WorkerOptions, command: Command) => {
      const config = await commandConfig(command, options.concurrency ? { processing: { concurrency: options.concurrency } } : {});
      const sdc = await openSdc(config, { logger: createRootLogger({ level: config.log.level }) });
      const all = sdc.mission.config.instruments.map((i) => i.id);
      const unknown = (options.instruments ?? []).filter((i) => !all.includes(i));
      if (unknown.length > 0) {
        await sdc.stop();
        throw new SdcError('invalid-request', `--instruments: no instrument ${unknown.join(', ')} in mission ${sdc.mission.config.id} (instruments: ${all.join(', ')})`, { unknown });
      }
      const instruments = options.instruments ?? all;
      await sdc.startProcessing(options.tiers, { triggers: options.triggers, instruments });
      if (options.drop) await sdc.startDropFolder();
      if (options.sitl) await sdc.startSitl();
      const mission = sdc.mission.config.id;
      const jobQueues = options.tiers.flatMap((tier) => instruments.map((instrument) => jobQueue(mission, tier, instrument, []).name));
      const queues = [...jobQueues, ...(options.triggers ? [triggerQueue(mission).name] : [])];
      console.log(`worker on ${queues.join(', ')}: ${config.processing.concurrency} job(s) at once per tier (catalog ${sdc.catalog.description}, bus ${sdc.bus.description})`);
      await drainOnSignal(sdc, config.operations.drainTimeoutMs);
    });
}

function parseTiers(value: string): Tier[] {
  const tiers = value.split(',').map((t) => t.trim()).filter(Boolean);
  const bad = tiers.filter((t) => t !== 'production' && t !== 'staging');
  if (tiers.length === 0 || bad.length > 0) throw new InvalidArgumentError(`tiers are production and/or staging, got '${value}'`);
  return [...new Set(tiers)] as Tier[];
}

function parseList(value: string): string[] {
  const items = [...new Set(value.split(',').map((v) => v.trim()).filter(Boolean))];
  if (items.length === 0) throw new InvalidArgumentError(`a comma-separated list of instrument ids, got '${value}'`);
  return items;
}

function parsePositive(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new InvalidArgumentError(`a whole number from 1 to 64, got '${value}'`);
  return n;
}
