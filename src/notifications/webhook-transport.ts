import { setTimeout as sleep } from 'node:timers/promises';
import type { WebhookConfig } from './notification-config.js';
import { NotificationDeliveryError, type Contact, type Notification, type NotificationTransport } from './notification-transport.js';

/** A response worth another attempt: the receiver is overloaded or broken for now. */
function retryable(status: number): boolean {
  return status === 429 || status >= 500;
}

/**
 * POSTs the notification's JSON payload to every contact's webhook and to the site-wide one,
 * each attempt bounded by a timeout, retried with doubling delays on network errors, 429 and 5xx.
 */
export class WebhookTransport implements NotificationTransport {
  readonly name = 'webhook';

  constructor(private readonly config: WebhookConfig) {}

  async send(contacts: Contact[], notification: Notification): Promise<void> {
    const urls = new Set(contacts.flatMap((c) => (c.webhook ? [c.webhook] : [])));
    if (this.config.url) urls.add(this.config.url);
    const body = JSON.stringify(notification.payload);
    const results = await Promise.allSettled([...urls].map((url) => this.post(url, body)));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  }

  private async post(url: string, body: string): Promise<void> {
    let lastProblem = '';
    for (let attempt = 0; attempt <= this.config.retries; attempt++) {
      if (attempt > 0) await sleep(this.config.retryDelayMs * 2 ** (attempt - 1));
      try {
        const response = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...this.config.headers },
          body,
          signal: AbortSignal.timeout(this.config.timeoutMs),
        });
        await response.body?.cancel();
        if (response.ok) return;
        lastProblem = `HTTP ${response.status}`;
        if (!retryable(response.status)) break;
      } catch (error) {
        const cause = (error as Error).cause as Error | undefined;
        lastProblem = (error as Error).name === 'TimeoutError' ? `no answer within ${this.config.timeoutMs} ms` : (cause?.message ?? (error as Error).message);
      }
    }
    throw new NotificationDeliveryError(this.name, url, lastProblem);
  }

  async close(): Promise<void> {
    // each POST is complete when send() returns; nothing stays open
  }
}
