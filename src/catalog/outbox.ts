import { randomUUID } from 'node:crypto';
import { sql, type Kysely, type RawBuilder, type Selectable, type Transaction } from 'kysely';
import type { BusMessage, EventBus } from '../bus/event-bus.js';
import type { CatalogSchema, OutboxTable } from './catalog-schema.js';
import { commitWithoutFlushWait } from './commit-without-flush-wait.js';

/** What an outbox row holds of its message: what is published, by the relay or by its transaction's owner. */
export type OutboxRow = Pick<Selectable<OutboxTable>, 'id' | 'message_id' | 'type' | 'routing_key' | 'body' | 'priority'>;

/**
 * Publishes the events of a transaction right after its commit (the outbox relay does): the
 * owner of a hot-path transaction hands them over instead of waiting for a relay pass.
 */
export interface CommittedEventPublisher {
  /** Whether events handed over now will be published; when not, they are the relay's at once. */
  readonly accepting: boolean;
  /** How long the relay leaves alone the rows of a transaction whose owner publishes them. */
  readonly ownerGraceMs: number;
  /** Publishes the rows, then deletes them; never throws (what it could not publish stays for the relay). */
  publishCommitted(rows: readonly OutboxRow[]): void;
}

/** The events written by each transaction whose owner publishes them, and the owner's grace. */
const owned = new WeakMap<Transaction<CatalogSchema>, { rows: OutboxRow[]; graceMs: number }>();

/**
 * Runs `work` in a transaction whose outbox events its caller publishes right after the commit,
 * through `publisher`, instead of leaving them to the relay's next pass: the hot paths (ingest,
 * a job's outcome, the trigger's jobs) save the relay's transaction per hop. The rows are still
 * written with the transaction, so the outbox's guarantee holds: the relay takes any of them
 * still there once the owner's grace has passed (the owner crashed after the commit, or the
 * broker refused them), and a row published twice (the owner died between the broker's confirm
 * and the delete) is absorbed by consumers, which deduplicate by message id. Without a
 * publisher, or with a relay that is not running, it is a plain transaction.
 */
export async function transactionPublishingEvents<T>(
  db: Kysely<CatalogSchema>,
  publisher: CommittedEventPublisher | undefined,
  work: (trx: Transaction<CatalogSchema>) => Promise<T>,
): Promise<T> {
  const rows: OutboxRow[] = [];
  const result = await db.transaction().execute((trx) => {
    if (publisher?.accepting) owned.set(trx, { rows, graceMs: publisher.ownerGraceMs });
    return work(trx);
  });
  if (rows.length > 0) publisher!.publishCommitted(rows);
  return result;
}

/** When the relay may take an event written in `trx`: once its owner's grace has passed, or at once. */
export function relayAfter(trx: Transaction<CatalogSchema>): RawBuilder<Date> {
  const owner = owned.get(trx);
  return owner ? sql<Date>`clock_timestamp() + ${owner.graceMs} * interval '1 millisecond'` : sql<Date>`now()`;
}

/** Gives the events written in `trx` (rows as inserted) to its owner to publish after the commit. */
export function handOver(trx: Transaction<CatalogSchema>, rows: readonly OutboxRow[]): void {
  owned.get(trx)?.rows.push(...rows);
}

/**
 * The transactional outbox: events are written in the same transaction as the rows they
 * announce, so nothing is announced for a row that did not commit and no committed row is
 * left unannounced; they are published after commit, by the transaction's owner or the relay.
 */
export async function addToOutbox(trx: Transaction<CatalogSchema>, messages: readonly Omit<BusMessage, 'id'>[]): Promise<string[]> {
  if (messages.length === 0) return [];
  const rows = await trx.insertInto('outbox').values(messages.map((m) => ({ ...outboxRow(m), relay_after: relayAfter(trx) }))).returningAll().execute();
  handOver(trx, rows);
  return rows.map((r) => r.message_id);
}

/** The outbox row of a message, under a new message id (for a statement that inserts it itself). */
export function outboxRow(message: Omit<BusMessage, 'id'>): { message_id: string; type: string; routing_key: string; body: string; priority: number } {
  return { message_id: randomUUID(), type: message.type, routing_key: message.routingKey, body: JSON.stringify(message.body), priority: message.priority ?? 0 };
}

/**
 * Publishes up to `limit` pending events (those whose `relay_after` has come) in commit order and deletes them once the broker has
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
      .where('id', 'in', (eb) => eb.selectFrom('outbox').select('id').where('relay_after', '<=', sql<Date>`now()`).orderBy('id').limit(limit).forUpdate().skipLocked())
      .returningAll()
      .returning(commitWithoutFlushWait())
      .execute();
    if (rows.length === 0) return 0;
    rows.sort((a, b) => Number(a.id) - Number(b.id));
    await bus.publish(rows.map(busMessageOf));
    return rows.length;
  });
}

/** The message an outbox row stands for. */
export function busMessageOf(row: OutboxRow): BusMessage {
  return { id: row.message_id, type: row.type, routingKey: row.routing_key, body: row.body, priority: row.priority };
}

/**
 * Deletes published rows by id, in one statement committing on its own without waiting for the
 * log flush: losing it in a database crash only publishes them again (see publishPendingOutbox).
 */
export async function deletePublished(db: Kysely<CatalogSchema>, ids: readonly number[]): Promise<void> {
  if (ids.length === 0) return;
  await db.deleteFrom('outbox').where('id', '=', sql<number>`any(${ids.map(Number)}::bigint[])`).returning(commitWithoutFlushWait()).execute();
}
