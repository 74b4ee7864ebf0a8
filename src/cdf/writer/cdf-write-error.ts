/** What went wrong, as a stable machine-readable word. */
export type CdfWriteErrorKind =
  | 'invalid-name'
  | 'duplicate-name'
  | 'unknown-type'
  | 'invalid-definition'
  | 'wrong-value-type'
  | 'wrong-shape'
  | 'value-out-of-range'
  | 'char-too-long'
  | 'unknown-variable'
  | 'nrv-already-written'
  | 'too-many-records'
  | 'writer-closed'
  | 'io-failed';

/** Where the bad input sits, so a user can find it without reading the writer. */
export interface CdfWriteErrorDetails {
  /** The final path of the CDF being written. */
  file?: string;
  variable?: string;
  attribute?: string;
  /** Entry number of a global attribute, or index of the offending value. */
  index?: number;
}

/**
 * Every error the CDF writer raises on purpose: bad schema, bad values, misuse of a writer,
 * or a failed disk operation (`io-failed`, with the system error as `cause`).
 */
export class CdfWriteError extends Error {
  constructor(
    readonly kind: CdfWriteErrorKind,
    message: string,
    readonly details: CdfWriteErrorDetails = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'CdfWriteError';
  }
}
