import { sql, type Kysely } from 'kysely';
import type { CatalogSchema } from '../catalog/catalog-schema.js';
import type { OperatorAlert } from './operator-alert.js';

/** Arbitrary constant: serialises ledger updates, should two monitors ever run at once. */
const LEDGER_LOCK = 7_140_908;

/** What a monitor run must tell operators. */
export interface AlertsDue {
  /** New alerts, and alerts still true whose last message is older than the repeat interval. */
  send: OperatorAlert[];
  /** Alerts that were open and are no longer seen. */
  resolved: OperatorAlert[];
}

/**
 * The catalog's record of operator alerts (`operator_alerts`): de-duplicates what successive
 * monitor runs see, and rate-limits repeats of an alert that lasts.
 */
export class OperatorAlertLedger {
  constructor(
    private readonly db: Kysely<CatalogSchema>,
    private readonly repeatAfterMs: number,
  ) {}

  /** Records what one run saw at `now`; returns what to send. Call `markSent` once it was delivered. */
  async update(seen: OperatorAlert[], now: Date): Promise<AlertsDue> {
    return this.db.transaction().execute(async (trx) => {
      await sql`select pg_advisory_xact_lock(${LEDGER_LOCK})`.execute(trx);
      const open = await trx.selectFrom('operator_alerts').selectAll().where('resolved_at', 'is', null).execute();
      const openByKey = new Map(open.map((row) => [row.key, row]));
      const send: OperatorAlert[] = [];
      for (const alert of seen) {
        const row = openByKey.get(alert.key);
        if (row) {
          await trx.updateTable('operator_alerts').set((eb) => ({ subject: alert.subject, detail: alert.detail, last_seen_at: now, occurrences: eb('occurrences', '+', 1) })).where('key', '=', alert.key).execute();
          if (row.last_sent_at === null || now.getTime() - row.last_sent_at.getTime() >= this.repeatAfterMs) send.push(alert);
          continue;
        }
        await trx
          .insertInto('operator_alerts')
          .values({ key: alert.key, kind: alert.kind, subject: alert.subject, detail: alert.detail, first_seen_at: now, last_seen_at: now, last_sent_at: null, resolved_at: null })
          .onConflict((oc) => oc.column('key').doUpdateSet({ kind: alert.kind, subject: alert.subject, detail: alert.detail, first_seen_at: now, last_seen_at: now, last_sent_at: null, resolved_at: null, occurrences: 1 }))
          .execute();
        send.push(alert);
      }
      const seenKeys = new Set(seen.map((a) => a.key));
      const ended = open.filter((row) => !seenKeys.has(row.key));
      if (ended.length > 0) await trx.updateTable('operator_alerts').set({ resolved_at: now }).where('key', 'in', ended.map((r) => r.key)).execute();
      // An alert nobody was told of ends silently: its end is news only to those who heard of it.
      const resolved = ended.filter((row) => row.last_sent_at !== null).map((row) => ({ key: row.key, kind: row.kind, subject: row.subject, detail: row.detail }));
      return { send, resolved };
    });
  }

  /** Notes that these alerts were delivered at `now` (the repeat interval counts from here). */
  async markSent(alerts: OperatorAlert[], now: Date): Promise<void> {
    if (alerts.length === 0) return;
    await this.db.updateTable('operator_alerts').set({ last_sent_at: now }).where('key', 'in', alerts.map((a) => a.key)).execute();
  }

  /** The alerts open now, oldest first (status page, `sdc report`). */
  async open(): Promise<(OperatorAlert & { firstSeenAt: Date; lastSeenAt: Date; occurrences: number })[]> {
    const rows = await this.db.selectFrom('operator_alerts').selectAll().where('resolved_at', 'is', null).orderBy('first_seen_at').orderBy('key').execute();
    return rows.map((r) => ({ key: r.key, kind: r.kind, subject: r.subject, detail: r.detail, firstSeenAt: r.first_seen_at, lastSeenAt: r.last_seen_at, occurrences: r.occurrences }));
  }
}
