import { sql, type AliasedRawBuilder } from 'kysely';

/**
 * A column to return from a statement that lets its transaction commit without waiting for its
 * write-ahead log to reach the disk (`synchronous_commit = off` for that transaction alone), set
 * by the statement itself instead of a round trip of its own. It is evaluated once per returned
 * row: a statement that returns none changed nothing, and such a commit writes no log anyway.
 * Only for writes whose loss in a database crash harms nothing because what they record is
 * redone (the deletion of outbox rows after their publish). Atomicity and isolation are
 * unchanged, and the next commit that does wait flushes this one with it, since the log is
 * written in order.
 */
export function commitWithoutFlushWait(): AliasedRawBuilder<string, 'commit_without_flush_wait'> {
  return sql<string>`set_config('synchronous_commit', 'off', true)`.as('commit_without_flush_wait');
}
