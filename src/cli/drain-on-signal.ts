import type { Sdc } from '../app/open-sdc.js';
import { untilSignal } from './cli-context.js';

/**
 * Serves until SIGTERM or SIGINT, then drains: no new messages are taken, running jobs finish
 * and are acknowledged, connections close, and the process exits 0. Jobs still running after
 * `drainTimeoutMs` are left unacknowledged: the process exits 0 and the broker gives their
 * messages to another worker (the job's row says `running` until that worker takes it).
 */
export async function drainOnSignal(sdc: Sdc, drainTimeoutMs: number): Promise<void> {
  const signal = await untilSignal();
  console.log(`${signal}: draining (at most ${Math.round(drainTimeoutMs / 1000)} s)`);
  const timer = setTimeout(() => {
    console.error(`drain not finished after ${drainTimeoutMs} ms: exiting; the running jobs go back to their queue`);
    process.exit(0);
  }, drainTimeoutMs);
  timer.unref();
  await sdc.stop();
  clearTimeout(timer);
  console.log('drained');
}
