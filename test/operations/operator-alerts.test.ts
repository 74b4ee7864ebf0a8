/**
 * Operators are told of dead jobs, a queue backing up, backup lag, an integrity problem and a
 * disk filling, through the real transports (a local SMTP server and HTTP receiver): one
 * message per monitor run, each alert once, repeated only after `repeatAfterMs`, and its end.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { waitUntilQuiet } from '../../src/app/wait-until-quiet.js';
import { archiveDb } from '../../src/archive/archive-tables.js';
import { createRootLogger } from '../../src/logging/logger.js';
import { createTransports } from '../../src/notifications/create-notifier.js';
import { notificationConfigSchema } from '../../src/notifications/notification-config.js';
import { operationsConfigSchema } from '../../src/operations/operations-config.js';
import { OperationsMonitor } from '../../src/operations/operations-monitor.js';
import { jobQueue } from '../../src/jobs/job-worker.js';
import { backends } from '../support/backends.js';
import { startTestSdc, type TestSdc } from '../support/test-sdc.js';
import { startSmtpReceiver, startWebhookReceiver } from '../notifications/local-receivers.js';

const TINY = path.resolve('test/fixtures/missions/tiny');
const SLOW = path.resolve('test/operations/fixtures/slow');
const OPERATORS = [{ name: 'SDC operations', email: 'ops@example.org' }];
const logger = createRootLogger({ silent: true });
/** Each test opens its own SDC (a few seconds; much more on a loaded machine). */
const TIMEOUT = 180_000;
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function receivers() {
  const smtp = await startSmtpReceiver();
  const hook = await startWebhookReceiver();
  cleanups.push(smtp.close, hook.close);
  const notifications = notificationConfigSchema.parse({ smtp: { host: '127.0.0.1', port: smtp.port, from: 'sdc@example.org' }, webhook: { url: `${hook.url}/ops` }, operators: OPERATORS });
  return { smtp, hook, notifications };
}

async function tinySdc(extra: Parameters<typeof startTestSdc>[1] = {}): Promise<TestSdc> {
  const t = await startTestSdc(backends()[0]!, { mission: TINY, ...extra });
  cleanups.push(() => t.close());
  return t;
}

/** Fills the production job queue with `n` messages no worker takes. */
async function backUpQueue(t: TestSdc, n: number): Promise<string> {
  const queue = jobQueue('tiny', 'production', 'mag', [100]);
  await t.sdc.bus.declareQueue(queue);
  await t.sdc.bus.publish(Array.from({ length: n }, (_, i) => ({ id: `m${i}`, type: 'job.requested', routingKey: 'job.requested.tiny.mag.production.mag-cal', body: { jobId: 1000 + i } })));
  return queue.name;
}

describe('the operations monitor', () => {
  it('when a job queue backs up, then operators get one message, no repeat on the next run, a repeat after repeatAfterMs, and a note when it is resolved', async () => {
    const { smtp, hook, notifications } = await receivers();
    const t = await tinySdc();
    const queue = await backUpQueue(t, 5);
    const config = operationsConfigSchema.parse({ queueBacklog: 3, repeatAfterMs: 3_600_000, diskFreePercent: 0 });
    const monitor = new OperationsMonitor({ db: t.sdc.catalog.db, bus: t.sdc.bus, mission: 'tiny', instruments: ['mag'], config, backupTargets: [], folders: [], transports: createTransports(notifications), operators: OPERATORS, logger });
    const t0 = new Date();

    const first = await monitor.run(t0);
    expect(first.sent.map((a) => a.key)).toEqual([`queue-backlog:${queue}`]);
    expect(smtp.mails).toHaveLength(1);
    expect(smtp.mails[0]).toMatchObject({ to: ['ops@example.org'], subject: '[SDC tiny] 1 operations alert: queue backing up' });
    expect(smtp.mails[0]?.text).toContain(`queue ${queue} is backing up: 5 messages waiting (limit 3)`);
    expect(hook.posts).toHaveLength(1);
    expect(hook.posts[0]?.body).toMatchObject({ type: 'sdc.operations.alerts', mission: 'tiny', alerts: [{ key: `queue-backlog:${queue}`, kind: 'queue-backlog' }], resolved: [] });

    expect((await monitor.run(new Date(t0.getTime() + 60_000))).sent).toEqual([]);
    expect(smtp.mails).toHaveLength(1);
    expect((await monitor.run(new Date(t0.getTime() + 3_600_000))).sent).toHaveLength(1);
    expect(smtp.mails).toHaveLength(2);

    const drained: string[] = [];
    const consumer = await t.sdc.bus.consume(queue, async (d) => void drained.push(d.id), { prefetch: 5 });
    await vi.waitFor(() => expect(drained).toHaveLength(5));
    await consumer.stop();
    const last = await monitor.run(new Date(t0.getTime() + 3_700_000));
    expect(last.resolved.map((a) => a.key)).toEqual([`queue-backlog:${queue}`]);
    expect(smtp.mails).toHaveLength(3);
    expect(smtp.mails[2]?.subject).toBe('[SDC tiny] 1 operations alert resolved');
    expect(await t.sdc.catalog.db.selectFrom('operator_alerts').select(['key', 'occurrences']).where('resolved_at', 'is not', null).execute()).toEqual([{ key: `queue-backlog:${queue}`, occurrences: 3 }]);
  }, TIMEOUT);

  it('when backups lag, an audit found problems, a disk fills and a job died, then all of it goes in one message', async () => {
    const { smtp, notifications } = await receivers();
    const t = await tinySdc();
    const db = t.sdc.catalog.db;
    const drop = path.join(t.dataDir, 'arrivals');
    await mkdir(drop, { recursive: true });
    await writeFile(path.join(drop, 'TINY-T1-MAG-RAW-2020-02-29-R1.txt'), '1\n');
    await t.sdc.ingest.ingest({ path: path.join(drop, 'TINY-T1-MAG-RAW-2020-02-29-R1.txt'), name: 'TINY-T1-MAG-RAW-2020-02-29-R1.txt', source: 'drop' });
    await db.updateTable('files').set({ ingested_at: new Date(Date.now() - 48 * 3_600_000) }).execute();
    const archive = archiveDb(db);
    const run = await archive.insertInto('audit_runs').values({ location: 'hot', state: 'done', checked: 10, problems: 2, repaired: 0, finished_at: new Date() }).returning('id').executeTakeFirstOrThrow();
    await archive.insertInto('audit_findings').values([{ run_id: run.id, location: 'hot', kind: 'missing', key: 'a' }, { run_id: run.id, location: 'hot', kind: 'checksum-mismatch', key: 'b' }]).execute();
    await db.insertInto('jobs').values({ mission: 'tiny', rule: 'calibrate', processor: 'mag-cal', processor_version: '0.1.0', tier: 'production', group_key: 't1', window_start: new Date('2020-02-29'), window_end: new Date('2020-03-01'), inputs_hash: 'f'.repeat(64), inputs: '[]', state: 'dead', error: 'exit 3', finished_at: new Date() }).execute();

    const config = operationsConfigSchema.parse({ backupLagHours: 24, diskFreePercent: 100 });
    const monitor = new OperationsMonitor({ db, bus: t.sdc.bus, mission: 'tiny', instruments: ['mag'], config, backupTargets: ['cold'], folders: [t.dataDir], transports: createTransports(notifications), operators: OPERATORS, logger });
    const result = await monitor.run();
    expect(result.sent.map((a) => a.kind).sort()).toEqual(['backup-lag', 'dead-jobs', 'disk', 'integrity']);
    expect(smtp.mails).toHaveLength(1);
    const mail = smtp.mails[0]!;
    expect(mail.subject).toBe('[SDC tiny] 4 operations alerts: dead jobs, backup lagging, integrity problem, disk filling');
    expect(mail.text).toContain('1 dead job(s) of mag-cal@0.1.0 (production) in the last 24 h');
    expect(mail.text).toMatch(/backup target cold lags 4[78]\.\d h behind \(limit 24 h\)/);
    expect(mail.text).toContain('integrity audit of hot: 2 unrepaired problem(s)');
    expect(mail.text).toContain('1 checksum-mismatch, 1 missing');
    expect(mail.text).toMatch(/disk filling at .*% free \(limit 100%\)/);
  }, TIMEOUT);

  it('when the scheduler runs, then its periodic monitor tells operators of a queue backing up', async () => {
    const { smtp, notifications } = await receivers();
    const t = await tinySdc({ notifications, operations: { monitorSchedule: '* * * * * *', queueBacklog: 1, diskFreePercent: 0 } });
    await backUpQueue(t, 3);
    await t.sdc.startScheduler();
    await vi.waitFor(() => expect(smtp.mails.map((m) => m.subject)).toEqual(['[SDC tiny] 1 operations alert: queue backing up']), { timeout: 15_000 });
  }, TIMEOUT);

  it('when a job dies, then the operators are told as well as its team', async () => {
    const { smtp, notifications } = await receivers();
    const previous = { seconds: process.env.SLOW_CAL_SECONDS, ledger: process.env.SLOW_CAL_LEDGER };
    const t = await startTestSdc(backends()[0]!, { mission: SLOW, notifications: { ...notifications, digestWindowMs: 0 } });
    cleanups.push(async () => {
      await t.close();
      process.env.SLOW_CAL_SECONDS = previous.seconds;
      process.env.SLOW_CAL_LEDGER = previous.ledger;
      if (previous.seconds === undefined) delete process.env.SLOW_CAL_SECONDS;
      if (previous.ledger === undefined) delete process.env.SLOW_CAL_LEDGER;
    });
    // The processor inherits the worker's environment: `sleep not-a-number` makes it fail.
    process.env.SLOW_CAL_SECONDS = 'not-a-number';
    process.env.SLOW_CAL_LEDGER = path.join(t.dataDir, 'ledger.txt');
    await t.sdc.startProcessing(['production']);
    const drop = path.join(t.dataDir, 'arrivals');
    await mkdir(drop, { recursive: true });
    await writeFile(path.join(drop, 'SLOW-S1-MAG-RAW-2020-03-01-R1.txt'), '1\n');
    await t.sdc.ingest.ingest({ path: path.join(drop, 'SLOW-S1-MAG-RAW-2020-03-01-R1.txt'), name: 'SLOW-S1-MAG-RAW-2020-03-01-R1.txt', source: 'drop' });
    await waitUntilQuiet(t.sdc, { timeoutMs: 60_000 });
    await vi.waitFor(() => expect(smtp.mails).toHaveLength(1), { timeout: 10_000 });
    expect(smtp.mails[0]?.to).toEqual(['ops@example.org']);
    expect(smtp.mails[0]?.subject).toMatch(/^\[SDC slow\] job \d+ dead: slow-cal@0\.1\.0 \(production\)$/);
  }, TIMEOUT);
});
