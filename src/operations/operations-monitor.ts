import type { Kysely } from 'kysely';
import cron, { type ScheduledTask } from 'node-cron';
import type { EventBus } from '../bus/event-bus.js';
import type { CatalogSchema } from '../catalog/catalog-schema.js';
import type { Logger } from '../logging/logger.js';
import type { Contact, NotificationTransport } from '../notifications/notification-transport.js';
import type { OperationsConfig } from './operations-config.js';
import { backupLagAlerts, deadJobAlerts, diskAlerts, integrityAlerts, queueBacklogAlerts } from './operations-checks.js';
import type { OperatorAlert } from './operator-alert.js';
import { OperatorAlertLedger } from './operator-alert-ledger.js';
import { operatorAlertNotification } from './operator-alert-message.js';
import { jobQueues } from './site-queues.js';

export interface OperationsMonitorOptions {
  db: Kysely<CatalogSchema>;
  bus: EventBus;
  mission: string;
  /** The mission's instrument ids (one job queue per tier and instrument). */
  instruments: readonly string[];
  config: OperationsConfig;
  /** Names of the archive's backup targets (no target: no backup lag to watch). */
  backupTargets: readonly string[];
  /** Folders whose disks are watched (data folder, store, work folder, extra paths). */
  folders: readonly string[];
  /** How operators are reached (none: alerts are only recorded and logged). */
  transports: NotificationTransport[];
  operators: Contact[];
  logger: Logger;
}

/** What one run found and told. */
export interface MonitorRun {
  seen: OperatorAlert[];
  sent: OperatorAlert[];
  resolved: OperatorAlert[];
}

/**
 * The scheduler's periodic look at the site: dead jobs, job queues backing up, backup lag, the
 * latest integrity audits, free disk space. What it sees goes through the alert ledger, so a
 * lasting problem is told once, then again only every `repeatAfterMs`; everything due from
 * one run goes in one message to the operators.
 */
export class OperationsMonitor {
  private readonly ledger: OperatorAlertLedger;
  private task: ScheduledTask | undefined;

  constructor(private readonly options: OperationsMonitorOptions) {
    this.ledger = new OperatorAlertLedger(options.db, options.config.repeatAfterMs);
  }

  /** Every check, now; a check that fails is logged and the others still run. */
  async check(now = new Date()): Promise<OperatorAlert[]> {
    const { db, bus, mission, config, backupTargets, folders } = this.options;
    const checks: [string, () => Promise<OperatorAlert[]>][] = [
      ['dead jobs', () => deadJobAlerts(db, mission, now)],
      ['queues', () => queueBacklogAlerts(bus, jobQueues(mission, this.options.instruments), config.queueBacklog)],
      ['backup lag', () => backupLagAlerts(db, backupTargets, config.backupLagHours, now)],
      ['integrity', () => integrityAlerts(db)],
      ['disks', () => diskAlerts([...folders, ...config.diskPaths], config.diskFreePercent)],
    ];
    const alerts: OperatorAlert[] = [];
    for (const [name, run] of checks) {
      try {
        alerts.push(...(await run()));
      } catch (error) {
        this.options.logger.error('operations check failed', { check: name, error: (error as Error).message });
      }
    }
    return alerts;
  }

  /** One monitor run: check, record, tell operators what is due. */
  async run(now = new Date()): Promise<MonitorRun> {
    const seen = await this.check(now);
    const { send, resolved } = await this.ledger.update(seen, now);
    for (const alert of send) this.options.logger.warn('operations alert', { key: alert.key, subject: alert.subject });
    if (send.length === 0 && resolved.length === 0) return { seen, sent: [], resolved };
    if (await this.deliver(send, resolved)) await this.ledger.markSent(send, now);
    return { seen, sent: send, resolved };
  }

  start(): void {
    const logger = this.options.logger;
    this.task = cron.schedule(this.options.config.monitorSchedule, () => this.run().then(() => undefined, (error: Error) => logger.error('operations monitor run failed', { error: error.message })), { name: 'operations-monitor', noOverlap: true });
  }

  async stop(): Promise<void> {
    await this.task?.stop();
    this.task = undefined;
  }

  /** True when delivered by at least one transport (a failed one is logged; if all failed, the next run tries again). */
  private async deliver(send: OperatorAlert[], resolved: OperatorAlert[]): Promise<boolean> {
    const { transports, operators, mission, logger } = this.options;
    // Without a transport the log line above was the delivery.
    if (transports.length === 0) return true;
    const notification = operatorAlertNotification(mission, send, resolved);
    const results = await Promise.allSettled(transports.map((t) => t.send(operators, notification)));
    results.forEach((r, i) => r.status === 'rejected' && logger.warn('operations alert not delivered', { transport: transports[i]?.name, error: (r.reason as Error).message }));
    return results.some((r) => r.status === 'fulfilled');
  }
}
