import { setTimeout as sleep } from 'node:timers/promises';
import type { Sdc } from './open-sdc.js';

/**
 * Resolves once the SDC has nothing left to do: the outbox is empty, no job scope is due and no
 * job is queued, running or waiting for a retry, for `settleMs` in a row (so an event in flight between
 * two steps is not mistaken for the end). Rejects after `timeoutMs`.
 */
export async function waitUntilQuiet(sdc: Sdc, options: { timeoutMs: number; settleMs?: number }): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  const settleMs = options.settleMs ?? 1000;
  let quietSince: number | undefined;
  while (Date.now() < deadline) {
    const busy = await busyCount(sdc);
    if (busy > 0) quietSince = undefined;
    else quietSince ??= Date.now();
    if (quietSince !== undefined && Date.now() - quietSince >= settleMs) return;
    await sleep(100);
  }
  throw new Error(`the SDC was still busy after ${options.timeoutMs} ms`);
}

async function busyCount(sdc: Sdc): Promise<number> {
  const db = sdc.catalog.db;
  const outbox = await db.selectFrom('outbox').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const jobs = await db.selectFrom('jobs').select((eb) => eb.fn.countAll<number>().as('n')).where('state', 'in', ['queued', 'running', 'retrying']).executeTakeFirstOrThrow();
  const due = await db.selectFrom('job_triggers').select((eb) => eb.fn.countAll<number>().as('n')).where('due_at', 'is not', null).executeTakeFirstOrThrow();
  return Number(outbox.n) + Number(jobs.n) + Number(due.n);
}
