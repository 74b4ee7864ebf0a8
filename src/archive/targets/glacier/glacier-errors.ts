import { SdcError } from '../../../errors/sdc-error.js';

/** A Glacier request failed (network, refused, checksum disagreement); says which vault and what. */
export class GlacierRequestError extends SdcError {
  constructor(readonly vault: string, readonly operation: string, reason: string, details: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super('unavailable', `Glacier vault '${vault}': ${operation} failed: ${reason}`, { vault, operation, ...details }, options);
  }
}

/** Wraps what the Glacier client threw, keeping its name and HTTP status. */
export function toGlacierError(error: unknown, vault: string, operation: string, details: Record<string, unknown> = {}): Error {
  if (error instanceof SdcError) return error;
  const e = error as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  return new GlacierRequestError(vault, operation, `${e.name ?? 'Error'}: ${e.message ?? String(error)}`, { ...details, status: e.$metadata?.httpStatusCode }, { cause: error });
}

/** The bytes a retrieval returned do not have the tree hash recorded at upload: the cold copy is not intact. */
export class TreeHashMismatchError extends SdcError {
  constructor(readonly target: string, readonly archiveId: string, readonly expected: string, readonly actual: string, source: string) {
    super('checksum-mismatch', `the copy in ${target} (archive ${archiveId.slice(0, 24)}...) is not intact: tree hash ${actual} (${source}) instead of ${expected}; it is refused`, { target, archiveId, expected, actual });
  }
}
