import { IdlSaveFormatError } from './idl-save-error.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });
const latin1 = new TextDecoder('latin1');

/**
 * Reads big-endian (XDR) items of one record, never past its end: reading beyond it is a
 * `truncated` error naming the record and the offset.
 */
export class XdrCursor {
  private readonly view: DataView;

  constructor(
    private readonly data: Uint8Array,
    public pos: number,
    /** First byte after the record. */
    private readonly end: number,
    readonly record: string,
  ) {
    this.view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  int32(): number {
    return this.view.getInt32(this.take(4));
  }

  uint32(): number {
    return this.view.getUint32(this.take(4));
  }

  float32(): number {
    return this.view.getFloat32(this.take(4));
  }

  float64(): number {
    return this.view.getFloat64(this.take(8));
  }

  int64(): bigint {
    return this.view.getBigInt64(this.take(8));
  }

  uint64(): bigint {
    return this.view.getBigUint64(this.take(8));
  }

  bytes(n: number): Uint8Array {
    const at = this.take(n);
    return this.data.subarray(at, at + n);
  }

  skip(n: number): void {
    this.take(n);
  }

  align4(): void {
    const pad = (4 - (this.pos % 4)) % 4;
    if (pad > 0) this.take(Math.min(pad, this.remaining));
  }

  /** A record string: length, bytes, padding. */
  string(what: string): string {
    const length = this.int32();
    if (length < 0) throw this.error('bad-record', `${what} has a negative length (${length})`);
    if (length === 0) return '';
    const text = decodeText(this.bytes(length));
    this.align4();
    return text;
  }

  /** A string value: its length, then (when not empty) the length again and the bytes. */
  stringData(): string {
    const length = this.int32();
    if (length === 0) return '';
    const again = this.int32();
    if (length < 0 || again !== length) throw this.error('bad-value', `a string's two lengths differ (${length}, ${again})`);
    const text = decodeText(this.bytes(length));
    this.align4();
    return text;
  }

  error(kind: ConstructorParameters<typeof IdlSaveFormatError>[0], detail: string): IdlSaveFormatError {
    return new IdlSaveFormatError(kind, detail, this.pos, this.record);
  }

  private take(n: number): number {
    if (n > this.remaining) throw this.error('truncated', `needs ${n} more bytes, the record has ${this.remaining} left`);
    const at = this.pos;
    this.pos += n;
    return at;
  }
}

/** IDL strings are bytes: UTF-8 when they are valid UTF-8, else Latin-1. */
function decodeText(bytes: Uint8Array): string {
  try {
    return utf8.decode(bytes);
  } catch {
    return latin1.decode(bytes);
  }
}
