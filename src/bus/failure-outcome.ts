import { PermanentFailure } from './event-bus.js';

/** What happens to a delivery whose handler threw: another attempt after a delay, or the dead-letter queue. */
export type FailureOutcome =
  | { kind: 'retry'; delayMs: number; nextAttempt: number; reason: string }
  | { kind: 'dead'; reason: string };

/** Dead-letter reasons travel in an AMQP header table, which must stay well under 64 KiB. */
const MAX_REASON_LENGTH = 2000;

/**
 * Decides the fate of a failed delivery: `retryDelaysMs[attempt - 1]` gives the delay before
 * the next attempt; past the last delay, or on a PermanentFailure, the message is dead.
 */
export function decideFailure(error: unknown, attempt: number, retryDelaysMs: readonly number[]): FailureOutcome {
  const reason = describeFailure(error);
  if (error instanceof PermanentFailure) return { kind: 'dead', reason };
  const delayMs = retryDelaysMs[attempt - 1];
  if (delayMs === undefined) return { kind: 'dead', reason };
  return { kind: 'retry', delayMs, nextAttempt: attempt + 1, reason };
}

/** `Name: message (cause: ...)`, bounded in length, for logs and dead letters. */
export function describeFailure(error: unknown): string {
  const text = describeOne(error) + describeCauses(error);
  return text.length > MAX_REASON_LENGTH ? `${text.slice(0, MAX_REASON_LENGTH - 1)}…` : text;
}

function describeOne(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return typeof error === 'string' ? error : `thrown value ${safeJson(error)}`;
}

function describeCauses(error: unknown): string {
  let text = '';
  let cause = error instanceof Error ? error.cause : undefined;
  for (let depth = 0; cause !== undefined && depth < 3; depth++) {
    text += ` (cause: ${describeOne(cause)})`;
    cause = cause instanceof Error ? cause.cause : undefined;
  }
  return text;
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
