import type { RecordReader } from './record-reader.js';

/**
 * Guards one linked-list walk (ADR, AEDR, VDR, VXR chains and VXR trees): a record visited twice
 * means the chain loops, which a damaged file can do; the walk stops with a typed error instead
 * of running forever. Chains may legitimately point backwards (the NASA library moves records
 * that grow), so only a revisit is an error.
 */
export class ChainGuard {
  private readonly seen = new Set<number>();

  constructor(
    private readonly reader: RecordReader,
    private readonly chain: string,
  ) {}

  /** True when `offset` was visited already (a tree reached twice, which is harmless to skip). */
  has(offset: number): boolean {
    return this.seen.has(offset);
  }

  /** Records a visit of `offset`; throws CdfFormatError `chain-loop` if it was visited before. */
  visit(offset: number, recordType: string): void {
    if (this.seen.has(offset)) {
      throw this.reader.error('chain-loop', `the ${this.chain} chain comes back to this record (a loop)`, offset, recordType);
    }
    this.seen.add(offset);
  }
}
