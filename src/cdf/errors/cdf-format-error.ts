/** What is wrong with a file the reader refuses. */
export type CdfFormatErrorKind =
  | 'truncated'
  | 'bad-magic'
  | 'offset-out-of-range'
  | 'bad-record-size'
  | 'bad-record-type'
  | 'chain-loop'
  | 'bad-field'
  | 'inflate-failed'
  | 'inflate-size'
  | 'unsupported-encoding'
  | 'unsupported-compression'
  | 'checksum-mismatch'
  | 'too-large';

/** Where in the file the problem is. */
export interface CdfFormatErrorContext {
  /** The file path, or the name given for an in-memory source. */
  readonly file: string;
  /** The internal record being read, e.g. `VXR`, `CVVR`, `CDR`, or `file` for file-level checks. */
  readonly recordType: string;
  /** Byte offset of that record (in the uncompressed image for a whole-file-compressed file). */
  readonly offset: number;
  readonly cause?: unknown;
}

/** A CDF file is malformed, truncated or uses a feature this reader does not decode. */
export class CdfFormatError extends Error {
  readonly kind: CdfFormatErrorKind;
  readonly file: string;
  readonly recordType: string;
  readonly offset: number;

  constructor(kind: CdfFormatErrorKind, detail: string, context: CdfFormatErrorContext) {
    const where = `${context.file}: ${context.recordType} at offset ${context.offset}`;
    super(`${where}: ${detail}`, context.cause === undefined ? undefined : { cause: context.cause });
    this.name = 'CdfFormatError';
    this.kind = kind;
    this.file = context.file;
    this.recordType = context.recordType;
    this.offset = context.offset;
  }
}
