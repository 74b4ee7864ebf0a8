import { SdcError } from '../errors/sdc-error.js';

/** Someone to tell: an instrument team's contact from the mission configuration. */
export interface Contact {
  name: string;
  email?: string;
  webhook?: string;
}

/** One message, as text for people and as structured data for machines. */
export interface Notification {
  subject: string;
  text: string;
  /** The webhook body (JSON); it carries `text` too, so chat webhooks show it as is. */
  payload: Record<string, unknown>;
}

/** A way of delivering a notification (e-mail, webhook) to the contacts it can reach. */
export interface NotificationTransport {
  readonly name: string;
  /** Delivers to those contacts this transport can reach; rejects when a delivery failed. */
  send(contacts: Contact[], notification: Notification): Promise<void>;
  close(): Promise<void>;
}

/** A delivery that did not happen, with the transport and recipient that failed. */
export class NotificationDeliveryError extends SdcError {
  constructor(readonly transport: string, readonly recipient: string, message: string, options?: { cause?: unknown }) {
    super('unavailable', `${transport} notification to ${recipient} failed: ${message}`, { transport, recipient }, options);
  }
}
