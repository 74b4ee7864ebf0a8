/**
 * The base of every error the SDC raises on purpose. `code` is stable and machine-readable
 * (the API maps it to an HTTP status in one place); `message` says what and why for a person;
 * `details` carries the ids a user needs (file name, job id, offset...).
 */
export class SdcError extends Error {
  constructor(
    readonly code: SdcErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

export type SdcErrorCode =
  | 'invalid-config'
  | 'invalid-mission'
  | 'invalid-file-name'
  | 'checksum-mismatch'
  | 'size-mismatch'
  | 'conflicting-duplicate'
  | 'corrupt-file'
  | 'not-found'
  | 'invalid-request'
  | 'processor-failed'
  | 'unavailable';

/** Turns anything thrown into an Error, keeping the original as `cause` (catch boundaries). */
export function coerceError(thrown: unknown): Error {
  if (thrown instanceof Error) return thrown;
  return new Error(typeof thrown === 'string' ? thrown : JSON.stringify(thrown), { cause: thrown });
}
