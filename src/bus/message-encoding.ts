import type { BusMessage } from './event-bus.js';
import { InvalidBusMessageError } from './bus-errors.js';

/** Highest message priority the bus accepts (see BusMessage.priority). */
export const MAX_PRIORITY = 9;

/** AMQP short strings (routing keys, message ids, types) hold at most 255 bytes. */
const MAX_SHORT_STRING_BYTES = 255;

/** A message checked for sending, with its body as JSON text. */
export interface EncodedMessage {
  id: string;
  type: string;
  routingKey: string;
  priority: number;
  json: string;
}

/**
 * Checks every message of a batch and serializes its body, before anything is sent, so a bad
 * message rejects the whole batch instead of leaving it half published.
 */
export function encodeMessages(messages: readonly BusMessage[]): EncodedMessage[] {
  return messages.map((message, index) => encodeMessage(message, index));
}

function encodeMessage(message: BusMessage, index: number): EncodedMessage {
  const where = { index, id: message.id, routingKey: message.routingKey };
  requireShortString(message.id, 'id', where);
  requireShortString(message.type, 'type', where);
  requireShortString(message.routingKey, 'routingKey', where);
  const priority = message.priority ?? 0;
  if (!Number.isInteger(priority) || priority < 0 || priority > MAX_PRIORITY) {
    throw new InvalidBusMessageError(`message ${index} has priority ${String(priority)}; expected an integer 0-${MAX_PRIORITY}`, where);
  }
  return { id: message.id, type: message.type, routingKey: message.routingKey, priority, json: serializeBody(message.body, where) };
}

function requireShortString(value: unknown, field: string, where: Record<string, unknown>): void {
  if (typeof value !== 'string' || value.length === 0) {
    throw new InvalidBusMessageError(`message ${String(where.index)} has no ${field}; expected a non-empty string`, where);
  }
  if (Buffer.byteLength(value) > MAX_SHORT_STRING_BYTES) {
    throw new InvalidBusMessageError(`message ${String(where.index)} has a ${field} longer than ${MAX_SHORT_STRING_BYTES} bytes`, where);
  }
}

function serializeBody(body: unknown, where: Record<string, unknown>): string {
  let json: string | undefined;
  try {
    json = JSON.stringify(body);
  } catch (error) {
    throw new InvalidBusMessageError(`message ${String(where.index)} has a body that cannot be serialized as JSON: ${(error as Error).message}`, where, { cause: error });
  }
  if (json === undefined) {
    throw new InvalidBusMessageError(`message ${String(where.index)} has a body that cannot be serialized as JSON (${typeof body})`, where);
  }
  return json;
}
