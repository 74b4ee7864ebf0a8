import { afterEach, describe, expect, it } from 'vitest';
import { notificationConfigSchema } from '../../src/notifications/notification-config.js';
import { NotificationDeliveryError } from '../../src/notifications/notification-transport.js';
import { SmtpTransport } from '../../src/notifications/smtp-transport.js';
import { startSmtpReceiver } from './local-receivers.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

function transport(port: number) {
  const config = notificationConfigSchema.parse({ smtp: { host: '127.0.0.1', port, from: 'sdc@example.org', timeoutMs: 2_000 } }).smtp;
  if (!config) throw new Error('smtp section expected');
  const smtp = new SmtpTransport(config);
  cleanups.push(() => smtp.close());
  return smtp;
}

describe('SmtpTransport against a local SMTP server', () => {
  it('sends one mail to every contact with an address and skips the others', async () => {
    const receiver = await startSmtpReceiver();
    cleanups.push(receiver.close);
    const contacts = [{ name: 'FGM lead', email: 'fgm-lead@example.org' }, { name: 'Hook only', webhook: 'http://127.0.0.1:1/x' }, { name: 'FGM ops', email: 'fgm-ops@example.org' }];
    await transport(receiver.port).send(contacts, { subject: 'job 42 dead', text: 'reason: it broke', payload: {} });
    expect(receiver.mails).toHaveLength(1);
    expect(receiver.mails[0]).toEqual({ from: 'sdc@example.org', to: ['fgm-lead@example.org', 'fgm-ops@example.org'], subject: 'job 42 dead', text: 'reason: it broke\n' });
  });

  it('sends nothing when no contact has an address', async () => {
    const receiver = await startSmtpReceiver();
    cleanups.push(receiver.close);
    await transport(receiver.port).send([{ name: 'Nobody' }], { subject: 's', text: 't', payload: {} });
    expect(receiver.mails).toEqual([]);
  });

  it('raises a typed error naming the recipients when the server cannot be reached', async () => {
    const receiver = await startSmtpReceiver();
    await receiver.close();
    const send = transport(receiver.port).send([{ name: 'FGM lead', email: 'fgm-lead@example.org' }], { subject: 's', text: 't', payload: {} });
    await expect(send).rejects.toThrow(NotificationDeliveryError);
    await expect(send).rejects.toThrow(/smtp notification to fgm-lead@example.org failed/);
  });
});
