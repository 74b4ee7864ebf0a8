/** A growing big-endian (XDR) byte buffer: what the writer appends records to. */
export class XdrSink {
  private buffer = new Uint8Array(1024);
  private view = new DataView(this.buffer.buffer);
  length = 0;

  int32(v: number): void {
    const at = this.reserve(4);
    this.view.setInt32(at, v);
  }

  uint32(v: number): void {
    const at = this.reserve(4);
    this.view.setUint32(at, v);
  }

  float32(v: number): void {
    const at = this.reserve(4);
    this.view.setFloat32(at, v);
  }

  float64(v: number): void {
    const at = this.reserve(8);
    this.view.setFloat64(at, v);
  }

  int64(v: bigint): void {
    const at = this.reserve(8);
    this.view.setBigInt64(at, v);
  }

  uint64(v: bigint): void {
    const at = this.reserve(8);
    this.view.setBigUint64(at, v);
  }

  bytes(data: Uint8Array): void {
    const at = this.reserve(data.length);
    this.buffer.set(data, at);
  }

  /** Zero bytes up to the next multiple of 4 (XDR items are 4-byte aligned). */
  align4(): void {
    const pad = (4 - (this.length % 4)) % 4;
    this.reserve(pad);
  }

  /** A record string: its length, its bytes, padding. */
  string(text: string): void {
    const data = Buffer.from(text, 'utf8');
    this.int32(data.length);
    if (data.length === 0) return;
    this.bytes(data);
    this.align4();
  }

  /** Overwrites a 32-bit word written earlier (record links are known once the record is done). */
  patchUint32(at: number, v: number): void {
    this.view.setUint32(at, v);
  }

  result(): Uint8Array {
    return this.buffer.slice(0, this.length);
  }

  private reserve(n: number): number {
    const at = this.length;
    if (at + n > this.buffer.length) {
      let size = this.buffer.length * 2;
      while (size < at + n) size *= 2;
      const grown = new Uint8Array(size);
      grown.set(this.buffer.subarray(0, this.length));
      this.buffer = grown;
      this.view = new DataView(grown.buffer);
    }
    this.length = at + n;
    return at;
  }
}
