import { afterEach, describe, expect, it, vi } from 'vitest';
import { createRootLogger } from '../../src/logging/logger.js';
import { createJobFailureNotifier } from '../../src/notifications/create-notifier.js';
import type { JobFailureNotifier } from '../../src/notifications/job-failure-notifier.js';
import { notificationConfigSchema } from '../../src/notifications/notification-config.js';
import { deadJob, startSmtpReceiver, startWebhookReceiver } from './local-receivers.js';

const logger = createRootLogger({ silent: true });
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

const contacts = [{ name: 'FGM team', email: 'fgm@example.org' }];

async function setup(extra: Record<string, unknown> = {}) {
  const smtp = await startSmtpReceiver();
  const hook = await startWebhookReceiver();
  cleanups.push(smtp.close, hook.close);
  const config = notificationConfigSchema.parse({ smtp: { host: '127.0.0.1', port: smtp.port, from: 'sdc@example.org' }, webhook: { url: `${hook.url}/ops` }, digestWindowMs: 300, ...extra });
  const notifier = createJobFailureNotifier(config, logger) as JobFailureNotifier;
  cleanups.unshift(() => notifier.close());
  return { smtp, hook, notifier };
}

describe('JobFailureNotifier with a local SMTP server and HTTP receiver', () => {
  it('mails and posts which job failed: processor@version, tier, window, inputs, reason and the last log lines', async () => {
    const { smtp, hook, notifier } = await setup({ logLines: 3 });
    await notifier.notifyJobFailure(deadJob(), 'the processor exited with 2', contacts);
    expect(smtp.mails).toHaveLength(1);
    const mail = smtp.mails[0];
    expect(mail?.to).toEqual(['fgm@example.org']);
    expect(mail?.subject).toBe('[SDC mms] job 42 dead: fgm-l1b@3.1.0 (production)');
    expect(mail?.text).toContain('Job 42 of mission mms is dead after 3 attempt(s).');
    expect(mail?.text).toContain('tier:      production');
    expect(mail?.text).toContain('window:    2015-10-16T00:00:00.000Z to 2015-10-17T00:00:00.000Z');
    expect(mail?.text).toContain('inputs:    mms1_fgm_srvy_l1a_20151016_v1.0.0.cdf, MMS1_DEFATT_2015289_2015290.V00');
    expect(mail?.text).toContain('host:      worker-1, exit code 2');
    expect(mail?.text).toContain('reason:    the processor exited with 2');
    expect(mail?.text).toMatch(/last 3 line\(s\) of the log:\n {2}log line 38\n {2}log line 39\n {2}log line 40/);
    expect(mail?.text).not.toContain('log line 37');
    expect(hook.posts).toHaveLength(1);
    const body = hook.posts[0]?.body as { type: string; failures: { jobId: number; processor: string; version: string; logTail: string[] }[] };
    expect(body.type).toBe('sdc.job.failure');
    expect(body.failures[0]).toMatchObject({ jobId: 42, processor: 'fgm-l1b', version: '3.1.0', logTail: ['log line 38', 'log line 39', 'log line 40'] });
  });

  it('coalesces a processor failing 100 times within the window into the first message and one digest', async () => {
    const { smtp, hook, notifier } = await setup();
    for (let id = 1; id <= 100; id++) await notifier.notifyJobFailure(deadJob({ id }), `bad input ${id}`, contacts);
    expect(smtp.mails).toHaveLength(1);
    await vi.waitFor(() => expect(smtp.mails).toHaveLength(2), { timeout: 5_000 });
    expect(smtp.mails[1]?.subject).toBe('[SDC mms] 99 more job failures: fgm-l1b@3.1.0 (production)');
    expect(smtp.mails[1]?.text).toContain('- job 2 dead, window 2015-10-16T00:00:00.000Z to 2015-10-17T00:00:00.000Z: bad input 2');
    expect(smtp.mails[1]?.text).toContain('- ... and 49 more');
    expect(smtp.mails[1]?.text).toContain('reason:    bad input 100');
    const digest = hook.posts[1]?.body as { type: string; failures: unknown[]; omitted: number };
    expect(digest.type).toBe('sdc.job.failure.digest');
    expect(digest.failures).toHaveLength(50);
    expect(digest.omitted).toBe(49);
  });

  it('sends the same job in the same state once, however often it is reported', async () => {
    const { smtp, notifier } = await setup();
    for (let i = 0; i < 5; i++) await notifier.notifyJobFailure(deadJob(), 'exited with 2', contacts);
    await notifier.close();
    expect(smtp.mails).toHaveLength(1);
  });

  it('keeps separate windows for separate processors, and sends held digests at close', async () => {
    const { smtp, notifier } = await setup({ digestWindowMs: 60_000 });
    await notifier.notifyJobFailure(deadJob({ id: 1 }), 'a', contacts);
    await notifier.notifyJobFailure(deadJob({ id: 2, processor: 'fgm-ql' }), 'b', contacts);
    await notifier.notifyJobFailure(deadJob({ id: 3 }), 'c', contacts);
    expect(smtp.mails.map((m) => m.subject)).toEqual(['[SDC mms] job 1 dead: fgm-l1b@3.1.0 (production)', '[SDC mms] job 2 dead: fgm-ql@3.1.0 (production)']);
    await notifier.close();
    expect(smtp.mails[2]?.subject).toBe('[SDC mms] 1 more job failures: fgm-l1b@3.1.0 (production)');
  });

  it('tells each failed attempt of a job apart from a repeat, and says the job is retrying', async () => {
    const { smtp, notifier } = await setup({ digestWindowMs: 0 });
    await notifier.notifyJobFailure(deadJob({ state: 'retrying', attempts: 1 }), 'flaky', contacts);
    await notifier.notifyJobFailure(deadJob({ state: 'retrying', attempts: 1 }), 'flaky', contacts);
    await vi.waitFor(() => expect(smtp.mails).toHaveLength(1));
    expect(smtp.mails[0]?.subject).toBe('[SDC mms] job 42 retrying: fgm-l1b@3.1.0 (production)');
    await notifier.notifyJobFailure(deadJob({ state: 'retrying', attempts: 2 }), 'flaky', contacts);
    await vi.waitFor(() => expect(smtp.mails).toHaveLength(2));
  });

  it('logs a transport that cannot deliver and still delivers through the others', async () => {
    const { smtp, hook } = await setup();
    await smtp.close();
    const config = notificationConfigSchema.parse({ smtp: { host: '127.0.0.1', port: smtp.port, from: 'sdc@example.org', timeoutMs: 1_000 }, webhook: { url: hook.url } });
    const notifier = createJobFailureNotifier(config, logger) as JobFailureNotifier;
    await expect(notifier.notifyJobFailure(deadJob(), 'broken', contacts)).resolves.toBeUndefined();
    expect(hook.posts).toHaveLength(1);
    await notifier.close();
  });

  it('is not made when no transport is configured', () => {
    expect(createJobFailureNotifier(notificationConfigSchema.parse({}), logger)).toBeUndefined();
  });
});
