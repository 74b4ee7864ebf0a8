/**
 * One internal record being built: header fields are big-endian whatever the file encoding,
 * every record starts with its size (int64) and type (int32).
 */
export class RecordBuffer {
  readonly bytes: Buffer;

  constructor(size: number, type: number) {
    this.bytes = Buffer.alloc(size);
    this.int64(0, size);
    this.int32(8, type);
  }

  int32(offset: number, value: number): this {
    this.bytes.writeInt32BE(value, offset);
    return this;
  }

  int64(offset: number, value: number): this {
    this.bytes.writeBigInt64BE(BigInt(value), offset);
    return this;
  }

  /** A NUL-padded text field of `length` bytes (names, copyright). */
  text(offset: number, value: string, length: number): this {
    this.bytes.write(value, offset, length, 'utf8');
    return this;
  }

  raw(offset: number, value: Uint8Array): this {
    this.bytes.set(value, offset);
    return this;
  }
}
