import type { Kysely, Transaction } from 'kysely';
import type { CatalogSchema } from '../catalog/catalog-schema.js';
import { transactionPublishingEvents, type CommittedEventPublisher } from '../catalog/outbox.js';

/**
 * Runs `work` in a transaction that also records the message as handled by `consumer`, so a
 * redelivered message (at-least-once bus, outbox republish after a crash) does nothing the
 * second time. Returns undefined when the message was already handled.
 */
export async function handleOnce<T>(
  db: Kysely<CatalogSchema>,
  consumer: string,
  messageId: string,
  work: (trx: Transaction<CatalogSchema>) => Promise<T>,
): Promise<T | undefined> {
  return handleManyOnce(db, consumer, [messageId], (trx, fresh) => (fresh.size === 0 ? Promise.resolve(undefined) : work(trx)));
}

/**
 * The same for a batch of messages in one transaction: `work` gets the ids of those not handled
 * before, which are recorded as handled with whatever it does. The events it writes are
 * published right after the commit through `events` when given.
 */
export async function handleManyOnce<T>(
  db: Kysely<CatalogSchema>,
  consumer: string,
  messageIds: readonly string[],
  work: (trx: Transaction<CatalogSchema>, fresh: ReadonlySet<string>) => Promise<T>,
  events?: CommittedEventPublisher,
): Promise<T> {
  return transactionPublishingEvents(db, events, async (trx) => {
    if (messageIds.length === 0) return work(trx, new Set());
    const rows = await trx
      .insertInto('handled_messages')
      .values([...new Set(messageIds)].map((id) => ({ consumer, message_id: id })))
      .onConflict((oc) => oc.columns(['consumer', 'message_id']).doNothing())
      .returning('message_id')
      .execute();
    return work(trx, new Set(rows.map((r) => r.message_id)));
  });
}
