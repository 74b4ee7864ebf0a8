import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { BusMessage, EventBus } from '../bus/event-bus.js';
import type { CatalogSchema } from './catalog-schema.js';

/**
 * The transactional outbox: events are written in the same transaction as the rows they
 * announce, so nothing is announced for a row that did not commit and no committed row is
 * left unannounced; the relay publishes them after commit.
 */
export async function addToOutbox(trx: Transaction<CatalogSchema>, messages: readonly Omit<BusMessage, 'id'>[]): Promise<string[]> {
  if (messages.length === 0) return [];
  const rows = messages.map((m) => ({
    message_id: randomUUID(),
    type: m.type,
    routing_key: m.routingKey,
    body: JSON.stringify(m.body),
    priority: m.priority ?? 0,
  }));
  await trx.insertInto('outbox').values(rows).execute();
  return rows.map((r) => r.message_id);
}

/**
 * Publishes up to `limit` pending events in commit order and deletes them once the broker has
 * confirmed them. The rows stay locked (SKIP LOCKED) while they are published, so several relays
 * never publish the same event; a crash after the confirm and before the delete publishes it
 * again, which consumers absorb by message id. Returns how many were published.
 */
export async function publishPendingOutbox(db: Kysely<CatalogSchema>, bus: EventBus, limit: number): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const rows = await trx.selectFrom('outbox').selectAll().orderBy('id').limit(limit).forUpdate().skipLocked().execute();
    if (rows.length === 0) return 0;
    await bus.publish(rows.map((r) => ({ id: r.message_id, type: r.type, routingKey: r.routing_key, body: r.body, priority: r.priority })));
    await trx.deleteFrom('outbox').where('id', 'in', rows.map((r) => r.id)).execute();
    return rows.length;
  });
}
