import { SdcError } from '../errors/sdc-error.js';
import { StoreObjectNotFoundError } from './file-store.js';
import { StoreUnavailableError } from './store-errors.js';

/** What was being done when an S3 call failed. */
export interface S3CallContext {
  operation: string;
  /** The store key (or list prefix) concerned, when there is one. */
  key?: string;
  /** The store's description, which names the bucket and prefix. */
  store: string;
}

/** The HTTP status of an SDK error, when the server answered. */
export function httpStatusOf(error: unknown): number | undefined {
  return (error as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata?.httpStatusCode;
}

/**
 * Turns an SDK error into the store's typed errors: a missing key becomes
 * StoreObjectNotFoundError, anything else (network, credentials, missing bucket, throttling
 * after the SDK's retries) StoreUnavailableError. The SDK error is kept as `cause`.
 */
export function toStoreError(error: unknown, context: S3CallContext): Error {
  if (error instanceof SdcError || error instanceof StoreObjectNotFoundError) return error;
  const name = (error as { name?: string } | undefined)?.name;
  if (context.key !== undefined && (name === 'NoSuchKey' || (name === 'NotFound' && httpStatusOf(error) === 404))) {
    return new StoreObjectNotFoundError(context.key, context.store, { cause: error });
  }
  return new StoreUnavailableError(context.operation, context.key, context.store, { cause: error });
}
