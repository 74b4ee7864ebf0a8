import type { Kysely, Transaction } from 'kysely';
import type { CatalogSchema } from '../catalog/catalog-schema.js';

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
  return db.transaction().execute(async (trx) => {
    const fresh = await trx
      .insertInto('handled_messages')
      .values({ consumer, message_id: messageId })
      .onConflict((oc) => oc.columns(['consumer', 'message_id']).doNothing())
      .returning('message_id')
      .executeTakeFirst();
    if (!fresh) return undefined;
    return work(trx);
  });
}
