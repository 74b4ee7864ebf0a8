import { afterEach, describe, expect, it } from 'vitest';
import { notificationConfigSchema } from '../../src/notifications/notification-config.js';
import { NotificationDeliveryError } from '../../src/notifications/notification-transport.js';
import { WebhookTransport } from '../../src/notifications/webhook-transport.js';
import { startWebhookReceiver } from './local-receivers.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

function transport(webhook: Record<string, unknown>) {
  const config = notificationConfigSchema.parse({ webhook: { retryDelayMs: 10, ...webhook } }).webhook;
  if (!config) throw new Error('webhook section expected');
  return new WebhookTransport(config);
}

const notification = { subject: 'job 42 dead', text: 'reason: it broke', payload: { type: 'sdc.job.failure', text: 'reason: it broke' } };

describe('WebhookTransport against a local HTTP receiver', () => {
  it('POSTs the JSON payload to every contact webhook and the site-wide one, with the configured headers', async () => {
    const receiver = await startWebhookReceiver();
    cleanups.push(receiver.close);
    const contacts = [{ name: 'FGM', webhook: `${receiver.url}/fgm` }, { name: 'Mail only', email: 'x@example.org' }, { name: 'FGM again', webhook: `${receiver.url}/fgm` }];
    await transport({ url: `${receiver.url}/ops`, headers: { authorization: 'Bearer s3cret' } }).send(contacts, notification);
    expect(receiver.posts.map((p) => p.path).sort()).toEqual(['/fgm', '/ops']);
    for (const post of receiver.posts) {
      expect(post.body).toEqual(notification.payload);
      expect(post.headers['content-type']).toBe('application/json');
      expect(post.headers.authorization).toBe('Bearer s3cret');
    }
  });

  it('retries a receiver answering 503 until it accepts', async () => {
    let answers = 0;
    const receiver = await startWebhookReceiver((_post, res) => res.writeHead(++answers < 3 ? 503 : 200).end());
    cleanups.push(receiver.close);
    await transport({ retries: 3 }).send([{ name: 'FGM', webhook: receiver.url }], notification);
    expect(receiver.posts).toHaveLength(3);
  });

  it('does not retry a request the receiver rejects (400) and raises a typed error with the status', async () => {
    const receiver = await startWebhookReceiver((_post, res) => res.writeHead(400).end());
    cleanups.push(receiver.close);
    const send = transport({ retries: 3 }).send([{ name: 'FGM', webhook: receiver.url }], notification);
    await expect(send).rejects.toThrow(NotificationDeliveryError);
    await expect(send).rejects.toThrow(/webhook notification to http:\/\/127\.0\.0\.1:\d+ failed: HTTP 400/);
    expect(receiver.posts).toHaveLength(1);
  });

  it('gives up on a receiver that never answers after its timeout and retries', async () => {
    const receiver = await startWebhookReceiver(() => undefined);
    cleanups.push(receiver.close);
    const started = Date.now();
    const send = transport({ timeoutMs: 200, retries: 1 }).send([{ name: 'FGM', webhook: receiver.url }], notification);
    await expect(send).rejects.toThrow(/no answer within 200 ms/);
    expect(receiver.posts).toHaveLength(2);
    expect(Date.now() - started).toBeLessThan(3_000);
  });
});
