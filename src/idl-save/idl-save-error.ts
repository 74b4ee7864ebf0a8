/** What is wrong with a file the reader refuses. */
export type IdlSaveFormatErrorKind = 'not-idl-save' | 'truncated' | 'bad-record' | 'bad-descriptor' | 'bad-value' | 'inflate-failed' | 'too-large' | 'unsupported';

/**
 * An IDL SAVE file is not one, is cut short, is corrupt, or holds what this reader does not
 * decode (pointers, objects). Says where: the record and its byte offset (in the expanded image
 * for a compressed file), and the variable when one was being read.
 */
export class IdlSaveFormatError extends Error {
  constructor(
    readonly kind: IdlSaveFormatErrorKind,
    detail: string,
    readonly offset: number,
    readonly record?: string,
    options?: { cause?: unknown },
  ) {
    super(`${record ? `${record} record at offset ${offset}` : `offset ${offset}`}: ${detail}`, options);
    this.name = 'IdlSaveFormatError';
  }
}

/** A value handed to the writer that IDL cannot hold as given (out of range, empty, mixed structure layouts...). */
export class IdlValueError extends Error {
  constructor(
    message: string,
    /** The variable and tag path of the value, e.g. `FOMSTR.START[3]`. */
    readonly path: string,
  ) {
    super(`${path}: ${message}`);
    this.name = 'IdlValueError';
  }
}
