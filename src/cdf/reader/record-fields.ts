import { CdfFormatError } from '../errors/cdf-format-error.js';

/** Where a record sits, for error messages. */
export interface RecordLocation {
  readonly file: string;
  readonly recordType: string;
  readonly offset: number;
}

const LATIN1 = new TextDecoder('latin1');

/**
 * Reads the fields of one internal record in order. Header fields are big-endian whatever the
 * file's encoding; offsets are int64 in CDF 3 and int32 in CDF 2, names 256 or 64 bytes.
 */
export class RecordFields {
  private readonly view: DataView;
  private position: number;

  constructor(
    private readonly bytes: Uint8Array,
    private readonly location: RecordLocation,
    private readonly wide: boolean,
    start: number,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.position = start;
  }

  /** Bytes left in the record after the current field. */
  get remaining(): number {
    return this.bytes.length - this.position;
  }

  /** Position of the next field from the start of the record. */
  get at(): number {
    return this.position;
  }

  int32(): number {
    this.need(4);
    const value = this.view.getInt32(this.position, false);
    this.position += 4;
    return value;
  }

  /** A file offset or size: int64 (CDF 3) or int32 (CDF 2). */
  offset(): number {
    if (!this.wide) return this.int32();
    this.need(8);
    const value = this.view.getBigInt64(this.position, false);
    this.position += 8;
    if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < -BigInt(Number.MAX_SAFE_INTEGER)) {
      throw this.error('bad-field', `offset field ${value} at +${this.position - 8} is out of range`);
    }
    return Number(value);
  }

  /** A NUL-padded name (256 bytes in CDF 3, 64 in CDF 2). */
  name(): string {
    return this.text(this.wide ? 256 : 64);
  }

  /** `length` bytes of NUL-terminated text. */
  text(length: number): string {
    const raw = this.bytesOf(length);
    const end = raw.indexOf(0);
    return LATIN1.decode(end === -1 ? raw : raw.subarray(0, end));
  }

  bytesOf(length: number): Uint8Array {
    this.need(length);
    const raw = this.bytes.subarray(this.position, this.position + length);
    this.position += length;
    return raw;
  }

  skip(length: number): void {
    this.need(length);
    this.position += length;
  }

  /** A typed error located at this record. */
  error(kind: ConstructorParameters<typeof CdfFormatError>[0], detail: string, cause?: unknown): CdfFormatError {
    return new CdfFormatError(kind, detail, { ...this.location, cause });
  }

  private need(length: number): void {
    if (length < 0 || this.position + length > this.bytes.length) {
      throw this.error(
        'bad-record-size',
        `field at +${this.position} of ${length} bytes runs past the record's ${this.bytes.length} bytes`,
      );
    }
  }
}
