/**
 * Gathers a variable's encoded records into blocks of `blockingFactor` records, so a writer
 * can store each block (VVR or CVVR) as soon as it is full and keep at most one partial block
 * per variable in memory.
 */
export class BlockAccumulator {
  private pending = new Uint8Array(0);
  private pendingBytes = 0;
  /** Capacity the previous partial block grew to: the next one starts there. */
  private capacityHint = 4096;
  private readonly blockBytes: number;

  constructor(
    private readonly recordBytes: number,
    blockingFactor: number,
  ) {
    this.blockBytes = recordBytes * blockingFactor;
  }

  /**
   * Takes whole records and returns the blocks they complete, in order. A returned block may be
   * a view of `records` itself, valid only until the caller has written it.
   */
  add(records: Uint8Array): Uint8Array[] {
    const blocks: Uint8Array[] = [];
    let at = 0;
    if (this.pendingBytes > 0) {
      at = this.fill(records, 0);
      if (this.pendingBytes < this.blockBytes) return blocks;
      blocks.push(this.takePending());
    }
    while (records.length - at >= this.blockBytes) {
      blocks.push(records.subarray(at, at + this.blockBytes));
      at += this.blockBytes;
    }
    if (at < records.length) this.fill(records, at);
    return blocks;
  }

  /** The records of the last, partial block (undefined when there are none). */
  drain(): Uint8Array | undefined {
    return this.pendingBytes > 0 ? this.takePending() : undefined;
  }

  /** Records held back in the partial block. */
  get pendingRecords(): number {
    return this.pendingBytes / this.recordBytes;
  }

  private fill(records: Uint8Array, from: number): number {
    const take = Math.min(records.length - from, this.blockBytes - this.pendingBytes);
    this.reserve(this.pendingBytes + take);
    this.pending.set(records.subarray(from, from + take), this.pendingBytes);
    this.pendingBytes += take;
    return from + take;
  }

  /** Grows the partial-block buffer by doubling, up to one block: small variables stay small. */
  private reserve(bytes: number): void {
    if (bytes <= this.pending.length) return;
    let capacity = Math.max(this.pending.length * 2, this.capacityHint);
    while (capacity < bytes) capacity *= 2;
    this.capacityHint = Math.min(capacity, this.blockBytes);
    const grown = new Uint8Array(this.capacityHint);
    grown.set(this.pending.subarray(0, this.pendingBytes));
    this.pending = grown;
  }

  private takePending(): Uint8Array {
    const block = this.pending.subarray(0, this.pendingBytes);
    this.pending = new Uint8Array(0);
    this.pendingBytes = 0;
    return block;
  }
}
