/** What a caller asked for that the file cannot give. */
export type CdfUsageErrorKind =
  | 'cannot-open'
  | 'unknown-variable'
  | 'bad-record-range'
  | 'closed'
  | 'bad-time'
  | 'bad-leap-second-table';

/** A request to the CDF library cannot be served (file not found, unknown variable, bad record range, unparsable time...). */
export class CdfUsageError extends Error {
  readonly kind: CdfUsageErrorKind;

  constructor(kind: CdfUsageErrorKind, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CdfUsageError';
    this.kind = kind;
  }
}
