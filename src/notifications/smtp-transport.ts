import nodemailer, { type Transporter } from 'nodemailer';
import type { SmtpConfig } from './notification-config.js';
import { NotificationDeliveryError, type Contact, type Notification, type NotificationTransport } from './notification-transport.js';

/** E-mail through an SMTP relay (nodemailer): one message to every contact with an address. */
export class SmtpTransport implements NotificationTransport {
  readonly name = 'smtp';
  private readonly transporter: Transporter;

  constructor(private readonly config: SmtpConfig) {
    this.transporter = nodemailer.createTransport({
      host: config.host,
      port: config.port,
      secure: config.secure,
      auth: config.user ? { user: config.user, pass: config.password ?? '' } : undefined,
      connectionTimeout: config.timeoutMs,
      greetingTimeout: config.timeoutMs,
      socketTimeout: config.timeoutMs,
    });
  }

  async send(contacts: Contact[], notification: Notification): Promise<void> {
    const to = contacts.filter((c) => c.email).map((c) => ({ name: c.name, address: c.email ?? '' }));
    if (to.length === 0) return;
    try {
      await this.transporter.sendMail({ from: this.config.from, to, subject: notification.subject, text: notification.text });
    } catch (error) {
      throw new NotificationDeliveryError(this.name, to.map((t) => t.address).join(', '), (error as Error).message, { cause: error });
    }
  }

  async close(): Promise<void> {
    this.transporter.close();
  }
}
