import type { ConfirmChannel } from 'amqplib';
import type { OutgoingMessage } from './amqp-message-codec.js';
import { BusPublishError, BusUnavailableError } from './bus-errors.js';

type ConfirmState = 'confirmed' | 'nacked' | 'lost';

/**
 * Publishes on a confirm channel and waits for the broker's confirm of every message,
 * honouring back-pressure (`drain`). Resolves with the messages whose confirm was lost with
 * the channel, to be sent again on a new one (they may have arrived: at-least-once). Rejects
 * with BusPublishError when the broker nacks one, and with BusUnavailableError at the deadline.
 */
export async function publishConfirmed(channel: ConfirmChannel, outgoing: readonly OutgoingMessage[], deadline: number): Promise<OutgoingMessage[]> {
  const confirms: Promise<[OutgoingMessage, ConfirmState]>[] = [];
  const lost: OutgoingMessage[] = [];
  for (let i = 0; i < outgoing.length; i++) {
    const message = outgoing[i] as OutgoingMessage;
    let confirmed!: (state: ConfirmState) => void;
    confirms.push(new Promise<ConfirmState>((resolve) => (confirmed = resolve)).then((state) => [message, state]));
    let writable: boolean;
    try {
      writable = channel.publish(message.exchange, message.routingKey, message.content, message.options, (error: Error | null) =>
        confirmed(error === null ? 'confirmed' : error.message === 'message nacked' ? 'nacked' : 'lost'),
      );
    } catch {
      // The channel closed under us: neither this message nor the rest went out.
      confirmed('lost');
      lost.push(...outgoing.slice(i + 1));
      break;
    }
    if (!writable) await drained(channel, deadline);
  }
  const states = await beforeDeadline(Promise.all(confirms), deadline, outgoing.length);
  const nacked = states.filter(([, state]) => state === 'nacked');
  if (nacked.length > 0) {
    throw new BusPublishError(`the broker refused ${nacked.length} of ${outgoing.length} messages`, { messageIds: nacked.map(([m]) => m.options.messageId) });
  }
  return [...states.filter(([, state]) => state === 'lost').map(([m]) => m), ...lost];
}

/** Waits for the socket buffer to drain (or the channel to close, or the deadline). */
function drained(channel: ConfirmChannel, deadline: number): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      channel.off('drain', done);
      channel.off('close', done);
      resolve();
    };
    const timer = setTimeout(done, Math.max(0, deadline - Date.now()));
    channel.once('drain', done);
    channel.once('close', done);
  });
}

async function beforeDeadline<T>(work: Promise<T>, deadline: number, count: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new BusUnavailableError(`the broker did not confirm ${count} published message(s) in time`, { count })),
      Math.max(0, deadline - Date.now()),
    );
  });
  try {
    return await Promise.race([work, expired]);
  } finally {
    clearTimeout(timer);
  }
}
