import type { Message, Options } from 'amqplib';
import type { DeadLetter, Delivery } from './event-bus.js';
import type { EncodedMessage } from './message-encoding.js';

/** Headers the bus adds: the attempt number, the original routing key (lost on the retry path) and the failure. */
export const ATTEMPT_HEADER = 'sdc-attempt';
export const ROUTING_KEY_HEADER = 'sdc-routing-key';
export const REASON_HEADER = 'sdc-failure-reason';

const JSON_CONTENT_TYPE = 'application/json';

/** A message ready for `channel.publish`. */
export interface OutgoingMessage {
  exchange: string;
  routingKey: string;
  content: Buffer;
  options: Options.Publish;
}

/** A published event: persistent JSON carrying its id, type and priority as AMQP properties. */
export function toOutgoing(exchange: string, message: EncodedMessage): OutgoingMessage {
  return {
    exchange,
    routingKey: message.routingKey,
    content: Buffer.from(message.json),
    options: {
      persistent: true,
      contentType: JSON_CONTENT_TYPE,
      messageId: message.id,
      type: message.type,
      priority: message.priority,
      timestamp: Math.floor(Date.now() / 1000),
    },
  };
}

/** The result of reading a delivery: a Delivery, or why it cannot be handled. */
export type DecodedDelivery = { ok: true; delivery: Delivery } | { ok: false; attempt: number; reason: string };

/** Reads a delivery; a body that is not JSON or a message without id or type is reported, never thrown. */
export function decodeDelivery(message: Message): DecodedDelivery {
  const attempt = attemptOf(message);
  const { messageId, type } = message.properties;
  if (typeof messageId !== 'string' || messageId === '') return { ok: false, attempt, reason: 'message has no messageId property (not published through the event bus?)' };
  if (typeof type !== 'string' || type === '') return { ok: false, attempt, reason: `message ${messageId} has no type property (not published through the event bus?)` };
  const parsed = parseBody(message.content);
  if (!parsed.ok) return { ok: false, attempt, reason: `message ${messageId} body is not valid JSON: ${parsed.error}` };
  return {
    ok: true,
    delivery: { id: messageId, type, routingKey: routingKeyOf(message), priority: priorityOf(message), body: parsed.body, attempt },
  };
}

/** Reads a dead letter; a body that is not JSON is returned as its text. */
export function decodeDeadLetter(message: Message): DeadLetter {
  const parsed = parseBody(message.content);
  const headers = message.properties.headers ?? {};
  return {
    id: String(message.properties.messageId ?? ''),
    type: String(message.properties.type ?? ''),
    routingKey: routingKeyOf(message),
    priority: priorityOf(message),
    body: parsed.ok ? parsed.body : message.content.toString('utf8'),
    attempt: attemptOf(message),
    reason: typeof headers[REASON_HEADER] === 'string' ? headers[REASON_HEADER] : brokerDeathReason(message),
  };
}

/**
 * The same message sent again (to a retry queue or to dead letters) with new bus headers.
 * The broker's own `x-` headers are dropped: they describe the previous trip.
 */
export function resendOptions(message: Message, headers: Record<string, unknown>): Options.Publish {
  const kept = Object.fromEntries(Object.entries(message.properties.headers ?? {}).filter(([key]) => !key.startsWith('x-')));
  const { contentType, contentEncoding, messageId, type, priority, timestamp, correlationId, appId } = message.properties;
  return {
    persistent: true,
    contentType,
    contentEncoding,
    messageId,
    type,
    priority,
    timestamp,
    correlationId,
    appId,
    headers: { ...kept, [ROUTING_KEY_HEADER]: routingKeyOf(message), ...headers },
  };
}

/** 1 unless a retry set the header; a missing or garbled header never makes a message vanish. */
export function attemptOf(message: Message): number {
  const value = Number(message.properties.headers?.[ATTEMPT_HEADER]);
  return Number.isInteger(value) && value >= 1 ? value : 1;
}

function routingKeyOf(message: Message): string {
  const header = message.properties.headers?.[ROUTING_KEY_HEADER];
  return typeof header === 'string' ? header : message.fields.routingKey;
}

function priorityOf(message: Message): number {
  const priority = Number(message.properties.priority ?? 0);
  return Number.isInteger(priority) ? priority : 0;
}

function parseBody(content: Buffer): { ok: true; body: unknown } | { ok: false; error: string } {
  try {
    return { ok: true, body: JSON.parse(content.toString('utf8')) as unknown };
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  }
}

function brokerDeathReason(message: Message): string {
  const death = message.properties.headers?.['x-death']?.[0];
  return death ? `dead-lettered by the broker (${death.reason} in ${death.queue})` : 'dead-lettered without a reason';
}
