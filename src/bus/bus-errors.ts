import { SdcError } from '../errors/sdc-error.js';

/**
 * The broker cannot be reached, or did not confirm a publish in time. Retryable: nothing
 * is known to be lost, but a message may have been delivered without its confirm arriving.
 */
export class BusUnavailableError extends SdcError {
  constructor(message: string, details: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super('unavailable', message, details, options);
  }
}

/** The broker refused (nacked) a published message: it was not stored. */
export class BusPublishError extends SdcError {
  constructor(message: string, details: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super('unavailable', message, details, options);
  }
}

/** A message given to `publish` cannot be sent (no id, bad priority, body not serializable as JSON...). */
export class InvalidBusMessageError extends SdcError {
  constructor(message: string, details: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super('invalid-request', message, details, options);
  }
}

/** A queue was used before it was declared on this bus. */
export class UnknownQueueError extends SdcError {
  constructor(readonly queue: string, options?: { cause?: unknown }) {
    super('not-found', `queue "${queue}" is not declared; call declareQueue first`, { queue }, options);
  }
}

/** A queue definition is invalid, or conflicts with the queue already on the broker. */
export class BusTopologyError extends SdcError {
  constructor(message: string, details: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super('invalid-config', message, details, options);
  }
}
