/**
 * The `notifications` section of the configuration: how the instrument teams' contacts are told
 * that their jobs failed. No transport configured means no notifications.
 */
import { z } from 'zod';

const smtp = z
  .object({
    host: z.string().min(1),
    port: z.number().int().min(1).max(65535).default(587),
    /** TLS from the first byte (port 465); otherwise STARTTLS when the server offers it. */
    secure: z.boolean().default(false),
    from: z.string().min(3),
    user: z.string().optional(),
    password: z.string().optional(),
    timeoutMs: z.number().int().min(100).default(10_000),
  })
  .strict();

const webhook = z
  .object({
    /** A site-wide endpoint (operations chat, ticketing) told of every failure, besides contacts' own webhooks. */
    url: z.string().url().optional(),
    headers: z.record(z.string(), z.string()).default({}),
    timeoutMs: z.number().int().min(100).default(5_000),
    /** Further attempts after a failed POST (network error, 429 or 5xx). */
    retries: z.number().int().min(0).max(10).default(3),
    /** First retry delay; doubled at each attempt. */
    retryDelayMs: z.number().int().min(0).default(1_000),
  })
  .strict();

const contact = z
  .object({
    name: z.string().min(1),
    email: z.string().email().optional(),
    webhook: z.string().url().optional(),
  })
  .strict();

export const notificationConfigSchema = z
  .object({
    smtp: smtp.optional(),
    webhook: webhook.optional(),
    /** The SDC's operators: told of dead jobs of any team and of operations alerts (queues, backups, integrity, disks). */
    operators: z.array(contact).default([]),
    /**
     * After a message about a processor, further failures of it within this time are coalesced
     * into one digest sent when the time is up.
     */
    digestWindowMs: z.number().int().min(0).default(60_000),
    /** Lines of the job's log quoted in a message. */
    logLines: z.number().int().min(0).max(500).default(20),
  })
  .strict();

export type NotificationConfig = z.infer<typeof notificationConfigSchema>;
export type SmtpConfig = z.infer<typeof smtp>;
export type WebhookConfig = z.infer<typeof webhook>;

export const DEFAULT_NOTIFICATION_CONFIG: NotificationConfig = { operators: [], digestWindowMs: 60_000, logLines: 20 };
