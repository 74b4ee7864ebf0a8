import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { BusMessage, EventBus } from '../bus/event-bus.js';
import type { CatalogSchema } from './catalog-schema.js';
import { commitWithoutFlushWait } from './commit-without-flush-wait.js';

/**
 * The transactional outbox: events are written in the same transaction as the rows they
 * announce, so nothing is announced for a row that did not commit and no committed row is
 * left unannounced; the relay publishes them after commit.
 */
export async function addToOutbox(trx: Transaction<CatalogSchema>, messages: readonly Omit<BusMessage, 'id'>[]): Promise<string[]> {
  if (messages.length === 0) return [];
  const rows = messages.map(outboxRow);
  await trx.insertInto('outbox').values(rows).execute();
  return rows.map((r) => r.message_id);
}

/** The outbox row of a message, under a new message id (for a statement that inserts it itself). */
export function outboxRow(message: Omit<BusMessage, 'id'>): { message_id: string; type: string; routing_key: string; body: string; priority: number } {
  return { message_id: randomUUID(), type: message.type, routing_key: message.routingKey, body: JSON.stringify(message.body), priority: message.priority ?? 0 };
}

/**
 * Publishes up to `limit` pending events in commit order and deletes them once the broker has
 * confirmed them. The rows are deleted and locked (SKIP LOCKED) in one statement and the delete
 * commits only after the broker's confirm, so several relays never publish the same event and a
 * failed publish leaves them pending. The commit does not wait for its WAL flush (the delete
 * itself says so, saving a round trip): losing it in a database crash only publishes those
 * events again, which consumers absorb by message id, as they do after a relay crash between
 * the confirm and the commit. Returns how many were published.
 */
export async function publishPendingOutbox(db: Kysely<CatalogSchema>, bus: EventBus, limit: number): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const rows = await trx.deleteFrom('outbox')
      .where('id', 'in', (eb) => eb.selectFrom('outbox').select('id').orderBy('id').limit(limit).forUpdate().skipLocked())
      .returningAll()
      .returning(commitWithoutFlushWait())
      .execute();
    if (rows.length === 0) return 0;
    rows.sort((a, b) => Number(a.id) - Number(b.id));
    await bus.publish(rows.map((r) => ({ id: r.message_id, type: r.type, routingKey: r.routing_key, body: r.body, priority: r.priority })));
    return rows.length;
  });
}
