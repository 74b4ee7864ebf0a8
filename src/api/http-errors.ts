import type { ErrorRequestHandler } from 'express';
import { SdcError, type SdcErrorCode } from '../errors/sdc-error.js';
import { StoreObjectNotFoundError } from '../store/file-store.js';
import type { Logger } from '../logging/logger.js';

/** The one place where error codes become HTTP statuses. */
const STATUS: Record<SdcErrorCode, number> = {
  'invalid-config': 500,
  'invalid-mission': 500,
  'invalid-file-name': 400,
  'checksum-mismatch': 422,
  'size-mismatch': 400,
  'conflicting-duplicate': 409,
  'corrupt-file': 422,
  'not-found': 404,
  'invalid-request': 400,
  'processor-failed': 500,
  unavailable: 503,
};

export function statusOf(code: SdcErrorCode): number {
  return STATUS[code];
}

/** A request the API refuses, with a clear message. */
export class HttpRequestError extends SdcError {}

/** A request by someone whose roles do not allow it (403). */
export class ForbiddenError extends SdcError {
  constructor(message: string) {
    super('invalid-request', message);
  }
}

/** A refusal with its own HTTP status (411 Length Required, 413 Content Too Large...). */
export class HttpStatusError extends SdcError {
  constructor(readonly status: number, readonly errorCode: string, message: string) {
    super('invalid-request', message);
  }
}

/** A request that needs credentials and has none (401 with `WWW-Authenticate: Basic`). */
export class UnauthorizedError extends SdcError {
  constructor(message: string, readonly realm: string) {
    super('invalid-request', message);
  }
}

/** JSON error bodies `{ error: { code, message } }`; unexpected errors are logged, not leaked. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error, req, res, _next) => {
    if (error instanceof HttpStatusError) {
      res.status(error.status).json({ error: { code: error.errorCode, message: error.message } });
      return;
    }
    if (error instanceof UnauthorizedError) {
      res.set('WWW-Authenticate', `Basic realm="${error.realm.replace(/["\\]/g, '')}", charset="UTF-8"`).status(401).json({ error: { code: 'unauthorized', message: error.message } });
      return;
    }
    if (error instanceof ForbiddenError) {
      res.status(403).json({ error: { code: 'forbidden', message: error.message } });
      return;
    }
    if (error instanceof SdcError) {
      res.status(statusOf(error.code)).json({ error: { code: error.code, message: error.message } });
      return;
    }
    if (error instanceof StoreObjectNotFoundError) {
      res.status(404).json({ error: { code: 'not-found', message: 'the file is catalogued but its bytes are missing from the store' } });
      return;
    }
    const status = typeof error?.status === 'number' && error.status >= 400 && error.status < 500 ? error.status : 500;
    if (status === 500) logger.error('request failed', { method: req.method, url: req.originalUrl, error: error instanceof Error ? error.stack : String(error) });
    res.status(status).json({ error: { code: status === 500 ? 'internal' : 'invalid-request', message: status === 500 ? 'internal error' : String(error.message) } });
  };
}
