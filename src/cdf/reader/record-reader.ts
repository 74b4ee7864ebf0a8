import { CdfFormatError, type CdfFormatErrorKind } from '../errors/cdf-format-error.js';
import type { ByteSource } from './byte-source.js';
import { RecordFields, type RecordLocation } from './record-fields.js';
import { recordTypeName } from './record-type.js';

/** Offset, size and type of one internal record, checked against the file. */
export interface RecordHeader {
  readonly offset: number;
  readonly size: number;
  readonly type: number;
}

/** The first 8 bytes are the magic numbers: no record starts before them. */
const FIRST_RECORD_OFFSET = 8;

/**
 * Reads internal records with every check a damaged file needs: the offset lies inside the file,
 * the size is positive and ends inside the file, the type is one the caller expects.
 */
export class RecordReader {
  /** RecordSize + RecordType: 12 bytes in CDF 3, 8 in CDF 2. */
  readonly headerSize: number;

  constructor(
    readonly source: ByteSource,
    readonly file: string,
    /** CDF 3 (64-bit offsets, 256-byte names) rather than CDF 2.6/2.7. */
    readonly wide: boolean,
  ) {
    this.headerSize = wide ? 12 : 8;
  }

  /** Reads and checks the header of the record at `offset`, whose type must be in `expected`. */
  header(offset: number, expected: readonly number[]): RecordHeader {
    const what = expected.map(recordTypeName).join(' or ');
    if (!Number.isSafeInteger(offset) || offset < FIRST_RECORD_OFFSET || offset >= this.source.size) {
      throw this.error('offset-out-of-range', `offset lies outside the file (${this.source.size} bytes)`, offset, what);
    }
    if (offset + this.headerSize > this.source.size) {
      throw this.error('truncated', 'the file ends inside the record header', offset, what);
    }
    const head = new DataView(this.read(offset, this.headerSize).slice().buffer);
    const size = this.wide ? Number(head.getBigInt64(0, false)) : head.getInt32(0, false);
    const type = head.getInt32(this.wide ? 8 : 4, false);
    if (!expected.includes(type)) {
      throw this.error('bad-record-type', `expected ${what}, found ${recordTypeName(type)}`, offset, what);
    }
    if (!Number.isSafeInteger(size) || size < this.headerSize) {
      throw this.error('bad-record-size', `record size ${size} is too small`, offset, recordTypeName(type));
    }
    if (offset + size > this.source.size) {
      throw this.error(
        'truncated',
        `record of ${size} bytes runs past the end of the file (${this.source.size} bytes)`,
        offset,
        recordTypeName(type),
      );
    }
    return { offset, size, type };
  }

  /** Reads a whole (descriptor) record and returns a cursor on the fields after its header. */
  load(offset: number, expected: readonly number[]): { header: RecordHeader; fields: RecordFields } {
    const header = this.header(offset, expected);
    const bytes = this.read(offset, header.size);
    return { header, fields: new RecordFields(bytes, this.locate(header), this.wide, this.headerSize) };
  }

  /** Where a record is, for errors. */
  locate(header: RecordHeader): RecordLocation {
    return { file: this.file, recordType: recordTypeName(header.type), offset: header.offset };
  }

  error(kind: CdfFormatErrorKind, detail: string, offset: number, recordType: string, cause?: unknown): CdfFormatError {
    return new CdfFormatError(kind, detail, { file: this.file, recordType, offset, cause });
  }

  private read(offset: number, length: number): Uint8Array {
    return this.source.read(offset, length);
  }
}
