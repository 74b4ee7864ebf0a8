import type { JobRow } from '../catalog/catalog-schema.js';
import type { Logger } from '../logging/logger.js';
import { jobFailureDigest, jobFailureNotification, jobFailureReport, type JobFailureReport } from './job-failure-message.js';
import type { NotificationConfig } from './notification-config.js';
import type { Contact, Notification, NotificationTransport } from './notification-transport.js';

/** Reports held for one digest; beyond this they are only counted (memory stays bounded). */
const MAX_HELD = 1_000;
/** Job outcomes remembered to drop repeats (a redelivered failure); the oldest are forgotten first. */
const MAX_REMEMBERED = 10_000;

/** Failures of one processor to one set of contacts within the current digest window. */
interface DigestWindow {
  contacts: Contact[];
  held: JobFailureReport[];
  omitted: number;
  timer: NodeJS.Timeout;
}

/**
 * Tells an instrument team's contacts that their jobs failed. The first failure of a processor
 * is sent at once; further failures of it within `digestWindowMs` are coalesced into one digest
 * at the end of the window, so a processor failing a hundred times a minute sends two messages,
 * not a hundred. The same job reported twice in the same state is sent once. Delivery problems
 * are logged, never thrown: a broken mail relay must not fail jobs.
 */
export class JobFailureNotifier {
  private readonly windows = new Map<string, DigestWindow>();
  private readonly seen = new Set<string>();
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly transports: NotificationTransport[],
    private readonly config: NotificationConfig,
    private readonly logger: Logger,
  ) {}

  /**
   * Notifies `contacts` that `job` failed for `reason` (the message states the job's state: dead,
   * or retrying for a caller that reports every failed attempt); resolves once an immediate
   * message is delivered or the report is held for a digest.
   */
  async notifyJobFailure(job: JobRow, reason: string, contacts: Contact[]): Promise<void> {
    const identity = `${job.id}:${job.state}:${job.attempts}`;
    if (this.seen.has(identity)) return;
    this.remember(identity);
    const report = jobFailureReport(job, reason, this.config.logLines);
    const key = `${job.mission}/${job.processor}@${job.processor_version}/${job.tier}/${contactKey(contacts)}`;
    const window = this.windows.get(key);
    if (window) {
      if (window.held.length < MAX_HELD) window.held.push(report);
      else window.omitted += 1;
      return;
    }
    this.openWindow(key, contacts);
    await this.track(this.deliver(contacts, jobFailureNotification(report)));
  }

  /** Sends the digests still held, waits for every delivery under way and closes the transports. */
  async close(): Promise<void> {
    for (const key of [...this.windows.keys()]) this.closeWindow(key, false);
    await Promise.all([...this.inFlight]);
    await Promise.all(this.transports.map((t) => t.close()));
  }

  private remember(identity: string): void {
    this.seen.add(identity);
    if (this.seen.size > MAX_REMEMBERED) this.seen.delete(this.seen.values().next().value as string);
  }

  private openWindow(key: string, contacts: Contact[]): void {
    const timer = setTimeout(() => this.closeWindow(key, true), this.config.digestWindowMs);
    timer.unref();
    this.windows.set(key, { contacts, held: [], omitted: 0, timer });
  }

  /** Sends the window's digest if it holds anything; a sent digest opens a new window (failures continuing). */
  private closeWindow(key: string, reopen: boolean): void {
    const window = this.windows.get(key);
    if (!window) return;
    clearTimeout(window.timer);
    this.windows.delete(key);
    if (window.held.length === 0) return;
    if (reopen) this.openWindow(key, window.contacts);
    void this.track(this.deliver(window.contacts, jobFailureDigest(window.held, window.omitted)));
  }

  /** Keeps a delivery until it settles, so close() can wait for it. */
  private track(delivery: Promise<void>): Promise<void> {
    this.inFlight.add(delivery);
    return delivery.finally(() => this.inFlight.delete(delivery));
  }

  private async deliver(contacts: Contact[], notification: Notification): Promise<void> {
    await Promise.all(
      this.transports.map(async (transport) => {
        try {
          await transport.send(contacts, notification);
        } catch (error) {
          this.logger.warn('job failure notification not delivered', { transport: transport.name, subject: notification.subject, error: (error as Error).message });
        }
      }),
    );
  }
}

function contactKey(contacts: Contact[]): string {
  return contacts.map((c) => `${c.email ?? ''}|${c.webhook ?? ''}`).sort().join(',');
}
