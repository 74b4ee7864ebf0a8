import { SdcError } from '../errors/sdc-error.js';

/**
 * A key (or list prefix) breaks the store's key rules (see `store-key.ts`), or collides with
 * what is already in a folder store (a key used as a folder, or a folder used as a key).
 * Keys come from outside (file names), so this is an input error, never a crash.
 */
export class InvalidStoreKeyError extends SdcError {
  constructor(readonly key: string, readonly reason: string, options?: { cause?: unknown }) {
    super('invalid-request', `invalid store key ${JSON.stringify(key)}: ${reason}`, { key, reason }, options);
  }
}

/** The bytes copied into the store do not hash to the sha256 the caller declared; nothing was stored. */
export class StoreChecksumMismatchError extends SdcError {
  constructor(readonly key: string, readonly store: string, readonly expected: string, readonly actual: string) {
    super('checksum-mismatch', `'${key}' was not stored in ${store}: its bytes have sha256 ${actual} but ${expected} was declared`, { key, store, expected, actual });
  }
}

/**
 * The source holds a different number of bytes than the caller declared; nothing was stored.
 * `actual` is a lower bound when `larger` is true: the copy stops reading past the declared size.
 */
export class StoreSizeMismatchError extends SdcError {
  constructor(readonly key: string, readonly store: string, readonly expected: number, readonly actual: number, readonly larger: boolean) {
    const found = larger ? `more than ${expected}` : String(actual);
    super('size-mismatch', `'${key}' was not stored in ${store}: its source has ${found} bytes but ${expected} were declared`, { key, store, expected, actual });
  }
}

/** A byte range that is malformed or starts past the end of the object. */
export class StoreRangeError extends SdcError {
  constructor(readonly key: string, readonly store: string, readonly range: { start: number; end: number }, reason: string, options?: { cause?: unknown }) {
    super('invalid-request', `cannot read bytes ${range.start}-${range.end} of '${key}' in ${store}: ${reason}`, { key, store, range }, options);
  }
}

/** The local file given to `putFile` cannot be read. */
export class StoreSourceError extends SdcError {
  constructor(readonly key: string, readonly sourcePath: string, options?: { cause?: unknown }) {
    const why = options?.cause instanceof Error ? `: ${options.cause.message}` : '';
    super('invalid-request', `cannot read '${sourcePath}' to store it as '${key}'${why}`, { key, sourcePath }, options);
  }
}

/**
 * The backend failed: a folder that cannot be written (permissions, disk full, I/O error) or an
 * S3 request that failed (network, credentials, missing bucket). `operation` names the call.
 */
export class StoreUnavailableError extends SdcError {
  constructor(readonly operation: string, readonly key: string | undefined, readonly store: string, options?: { cause?: unknown }) {
    const subject = key === undefined ? '' : ` of '${key}'`;
    const why = options?.cause instanceof Error ? `: ${options.cause.name}: ${options.cause.message}` : '';
    super('unavailable', `${operation}${subject} failed in ${store}${why}`, { operation, key, store }, options);
  }
}
