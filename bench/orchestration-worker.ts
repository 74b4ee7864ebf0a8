/**
 * A worker of the orchestration bench's throughput runs, in a process of its own as `sdc worker`
 * runs. The parent drives it by messages: `open` an SDC with configuration overrides, `start`
 * taking arrivals and jobs, `stop` (its running jobs drained, the SDC closed), `exit`. One process
 * serves several runs, each with an SDC of its own, so that later runs find its code compiled as
 * a worker running for days has it.
 */
import { openSdc, type Sdc } from '../src/app/open-sdc.js';
import type { SdcConfigInput } from '../src/config/config-schema.js';
import { loadConfig } from '../src/config/load-config.js';
import { createRootLogger } from '../src/logging/logger.js';

export type WorkerCommand = { open: Partial<SdcConfigInput> } | 'start' | 'stop' | 'exit';
/** The command done, or what failed. */
export type WorkerReply = { done: string } | { failed: string };

const logger = createRootLogger({ level: process.env.BENCH_LOG ?? 'error' });
let sdc: Sdc | undefined;

async function perform(command: WorkerCommand): Promise<void> {
  if (command === 'exit') process.exit(0);
  if (command === 'start') return sdc!.startProcessing(['production']);
  if (command === 'stop') return sdc!.stop();
  sdc = await openSdc(await loadConfig({ env: {}, overrides: command.open }), { logger });
}

process.on('message', (command: WorkerCommand) => {
  const name = typeof command === 'string' ? command : 'open';
  perform(command).then(
    () => process.send!({ done: name } satisfies WorkerReply),
    (error: unknown) => process.send!({ failed: `${name}: ${(error as Error).stack ?? String(error)}` } satisfies WorkerReply),
  );
});
// A bench that dies (killed, crashed) takes its workers with it.
process.on('disconnect', () => process.exit(1));
process.send!({ done: 'spawn' } satisfies WorkerReply);
