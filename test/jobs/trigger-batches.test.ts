/**
 * The trigger consumer takes the arrivals' events it holds in one transaction: a burst queued
 * before it starts (a restart after an outage, a day of files at once) is handled in batches,
 * each scope evaluated once with the inputs committed before it, and each event recorded as
 * handled, so that the same events delivered again queue nothing.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Delivery } from '../../src/bus/event-bus.js';
import type { FileIngestedEvent } from '../../src/events/event-types.js';
import { triggerQueue } from '../../src/jobs/trigger-consumer.js';
import { backends } from '../support/backends.js';
import { startTestSdc, type TestSdc } from '../support/test-sdc.js';
import { observeIngested } from '../processing/processing-kit.js';

const TINY = path.resolve('test/fixtures/missions/tiny');
let t: TestSdc | undefined;

afterEach(async () => {
  await t?.close();
  t = undefined;
});

describe.each(backends().filter((b) => b.available))('triggering on $name', (backend) => {
  it('when a burst of arrivals waits for the trigger, then each scope gets one job on its newest inputs, and the same events delivered again queue nothing', async () => {
    t = await startTestSdc(backend, { mission: TINY, processing: { retryDelaysMs: [200], concurrency: 1, debounceMs: 0 } });
    const { sdc, dataDir } = t;
    const events = await observeIngested(sdc);
    await sdc.bus.declareQueue(triggerQueue(sdc.mission.config.id));
    sdc.relay.start();
    const names = ['TINY-T1-MAG-RAW-2020-01-01-R1.txt', 'TINY-T2-MAG-RAW-2020-01-01-R1.txt', 'TINY-T1-MAG-RAW-2020-01-01-R2.txt', 'TINY-T1-MAG-RAW-2020-01-02-R1.txt'];
    for (const name of names) await writeFile(path.join(dataDir, name), `${name}\n`);
    await sdc.ingest.ingestMany(names.map((name) => ({ path: path.join(dataDir, name), name, source: 'drop' as const })));
    await until(() => events.length === names.length);

    const jobCount = async () => (await sdc.catalog.db.selectFrom('jobs').select('id').execute()).length;
    const queue = triggerQueue(sdc.mission.config.id).name;
    await sdc.startProcessing([], { triggers: true });
    await untilAsync(async () => (await jobCount()) === 3 && (await sdc.bus.queueDepth(queue)) === 0);
    const jobs = await sdc.catalog.db.selectFrom('jobs').select(['group_key', 'window_start', 'inputs']).orderBy('window_start').orderBy('group_key').execute();
    expect(jobs.map((j) => `${j.group_key} ${j.window_start.toISOString().slice(0, 10)} ${j.inputs.map((i) => i.name).join(',')}`)).toEqual([
      't1 2020-01-01 TINY-T1-MAG-RAW-2020-01-01-R2.txt',
      't2 2020-01-01 TINY-T2-MAG-RAW-2020-01-01-R1.txt',
      't1 2020-01-02 TINY-T1-MAG-RAW-2020-01-02-R1.txt',
    ]);
    const handled = await sdc.catalog.db.selectFrom('handled_messages').select('message_id').where('consumer', '=', queue).execute();
    expect(handled.map((h) => h.message_id).sort()).toEqual(events.map((e) => e.id).sort());

    // Then one new arrival: handled after the repeats (one consumer takes them in order), its job marks their end.
    await sdc.bus.publish(events.map(({ attempt: _, ...message }: Delivery<FileIngestedEvent>) => message));
    const last = 'TINY-T2-MAG-RAW-2020-01-02-R1.txt';
    await writeFile(path.join(dataDir, last), `${last}\n`);
    await sdc.ingest.ingest({ path: path.join(dataDir, last), name: last, source: 'drop' });
    await untilAsync(async () => (await jobCount()) > 3);
    expect(await jobCount()).toBe(4);
  });
});

async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  return untilAsync(async () => condition(), timeoutMs);
}

async function untilAsync(condition: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
