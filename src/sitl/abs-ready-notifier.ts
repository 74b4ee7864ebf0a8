import { sql, type Kysely } from 'kysely';
import type { CatalogSchema } from '../catalog/catalog-schema.js';
import type { Logger } from '../logging/logger.js';
import type { Notification, NotificationTransport } from '../notifications/notification-transport.js';
import type { SitlConfig } from './sitl-config.js';
import { taiToDate } from './tai-seconds.js';

export interface AbsReadyNotifierOptions {
  db: Kysely<CatalogSchema>;
  mission: string;
  config: SitlConfig;
  transports: NotificationTransport[];
  logger: Logger;
}

/** Windows told about in one pass; more are left for the next wake. */
const BATCH = 50;

/** A window whose automated selections were published and whose SITL was not told yet. */
export interface ReadyWindow {
  id: number;
  cycleStart: number;
  numCycles: number;
  absFile: string;
  closesAt: Date | null;
  selections: { start: number; stop: number }[];
}

/**
 * Tells the on-duty SITL (`sitl.onDuty`, and the site-wide webhook) that the automated selections
 * of a new window are ready: once the ABS file is published, once per window. The sending is
 * recorded on the window (`abs_notified_at`) after a delivery, so a restart does not send again;
 * a crash between the delivery and the record sends it once more (at least once, never lost).
 * Windows past their deadline (without one: evaluated more than a day ago) are not announced, so
 * an outage or notifications configured late send no backlog. Delivery problems are logged, never thrown; when
 * every transport failed the window is tried again at the next wake.
 */
export class AbsReadyNotifier {
  private running: Promise<void> | undefined;
  private again = false;

  constructor(private readonly options: AbsReadyNotifierOptions) {}

  /** Notifies every window that is ready; concurrent calls coalesce into one more pass. */
  wake(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    const running = this.drain()
      .catch((error: unknown) => {
        this.options.logger.error('ABS-ready notifications failed; retried at the next wake', { error: (error as Error).message });
      })
      .finally(() => {
        this.running = undefined;
      });
    this.running = running;
    return running;
  }

  async settled(): Promise<void> {
    await this.running;
  }

  private async drain(): Promise<void> {
    do {
      this.again = false;
      for (const window of await this.readyWindows()) {
        if (await this.deliver(window)) await this.markNotified(window.id);
      }
    } while (this.again);
  }

  private async readyWindows(): Promise<ReadyWindow[]> {
    const rows = await this.options.db
      .selectFrom('sitl_windows as w')
      .innerJoin('sitl_deliveries as d', (join) => join.onRef('d.window_id', '=', 'w.id').onRef('d.name', '=', 'w.abs_file').on('d.target', '=', 'publish'))
      .select(['w.id', 'w.cycle_start', 'w.num_cycles', 'w.abs_file', 'w.closes_at', 'w.selections'])
      .where('w.mission', '=', this.options.mission)
      .where('w.abs_notified_at', 'is', null)
      .where((eb) => eb.or([eb('w.closes_at', '>', sql<Date>`now()`), eb.and([eb('w.closes_at', 'is', null), eb('w.evaluated_at', '>', sql<Date>`now() - interval '1 day'`)])]))
      .where('d.delivered_at', 'is not', null)
      .orderBy('w.id')
      .limit(BATCH)
      .execute();
    return rows.map((r) => {
      const stored = (typeof r.selections === 'string' ? JSON.parse(r.selections) : r.selections) as { selections: { start: number; stop: number }[] };
      return { id: r.id, cycleStart: r.cycle_start, numCycles: r.num_cycles, absFile: r.abs_file, closesAt: r.closes_at, selections: stored.selections };
    });
  }

  /** True when at least one transport delivered the message. */
  private async deliver(window: ReadyWindow): Promise<boolean> {
    const notification = absReadyNotification(this.options.mission, this.options.config, window);
    const outcomes = await Promise.all(
      this.options.transports.map(async (transport) => {
        try {
          await transport.send(this.options.config.onDuty, notification);
          return true;
        } catch (error) {
          this.options.logger.warn('ABS-ready notification not delivered', { transport: transport.name, windowId: window.id, error: (error as Error).message });
          return false;
        }
      }),
    );
    return outcomes.some(Boolean);
  }

  private async markNotified(id: number): Promise<void> {
    await this.options.db.updateTable('sitl_windows').set({ abs_notified_at: new Date() }).where('id', '=', id).where('abs_notified_at', 'is', null).execute();
    this.options.logger.info('on-duty SITL told the automated selections are ready', { windowId: id });
  }
}

/** The message: which window, its automated selections, and when the selections are due. */
export function absReadyNotification(mission: string, config: SitlConfig, w: ReadyWindow): Notification {
  const start = taiToDate(w.cycleStart).toISOString();
  const end = taiToDate(w.cycleStart + w.numCycles * config.cycleSeconds).toISOString();
  const buffers = w.selections.reduce((sum, s) => sum + s.stop - s.start + 1, 0);
  const due = w.closesAt ? `, due ${w.closesAt.toISOString()}` : '';
  const subject = `[SDC ${mission}] SITL window ${w.id}: automated selections ready${due}`;
  const text = [
    `The automated selections of SITL window ${w.id} are ready.`,
    `window:     ${start} to ${end} (${w.numCycles} buffers)`,
    `selections: ${w.selections.length} (${buffers} buffers), file ${w.absFile}`,
    `due:        ${w.closesAt ? w.closesAt.toISOString() : 'no deadline configured'}`,
    `page:       /sitl/windows/${w.id}`,
  ].join('\n');
  return {
    subject,
    text,
    payload: { type: 'sdc.sitl.abs-ready', subject, text, mission, windowId: w.id, absFile: w.absFile, startUtc: start, endUtc: end, selections: w.selections.length, buffers, closesAt: w.closesAt?.toISOString() ?? null },
  };
}
