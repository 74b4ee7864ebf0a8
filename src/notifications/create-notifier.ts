import type { Logger } from '../logging/logger.js';
import { JobFailureNotifier } from './job-failure-notifier.js';
import type { NotificationConfig } from './notification-config.js';
import type { NotificationTransport } from './notification-transport.js';
import { SmtpTransport } from './smtp-transport.js';
import { WebhookTransport } from './webhook-transport.js';

/**
 * The job failure notifier the configuration asks for: e-mail when `smtp` is set, webhooks when
 * `webhook` is set (contacts' own webhooks need the section, even empty). None: undefined.
 */
export function createJobFailureNotifier(config: NotificationConfig, logger: Logger): JobFailureNotifier | undefined {
  const transports = createTransports(config);
  if (transports.length === 0) return undefined;
  return new JobFailureNotifier(transports, config, logger);
}

/** The transports the configuration sets up: e-mail when `smtp` is set, webhooks when `webhook` is. */
export function createTransports(config: NotificationConfig): NotificationTransport[] {
  const transports: NotificationTransport[] = [];
  if (config.smtp) transports.push(new SmtpTransport(config.smtp));
  if (config.webhook) transports.push(new WebhookTransport(config.webhook));
  return transports;
}
