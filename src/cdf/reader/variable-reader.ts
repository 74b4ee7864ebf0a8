import { decompressBlock, isDecodable } from '../compression/block-decompressor.js';
import type { CdfValues } from '../model/cdf-values.js';
import type { CdfReadStats } from '../model/cdf-variable-data.js';
import { defaultPadBytes } from '../values/default-pad.js';
import { applyRecordLayout, recordLayoutMap } from '../values/record-layout.js';
import { uninitializedBytes } from '../values/uninitialized-bytes.js';
import { decodeValues } from '../values/value-decoder.js';
import { readBlockIndex, type DataBlock } from './block-index.js';
import type { RecordReader } from './record-reader.js';
import { RecordType } from './record-type.js';
import type { VariableDescriptor } from './variable-descriptor.js';

/** Limits that keep a damaged file from making a read allocate without bound. */
export interface ReadLimits {
  /** Most bytes of records that are not stored (pad or previous) one read may produce. */
  readonly maxVirtualBytes: number;
}

/**
 * Reads records of one variable: copies or inflates only the blocks that overlap the range,
 * fills missing records (pad or previous), byte-swaps for big-endian files, and rearranges
 * column-major and non-varying dimensions into logical row-major order.
 */
export class VariableReader {
  private blocks: DataBlock[] | undefined;

  constructor(
    private readonly reader: RecordReader,
    private readonly variable: VariableDescriptor,
    private readonly littleEndian: boolean,
    private readonly columnMajor: boolean,
    private readonly stats: CdfReadStats,
    private readonly limits: ReadLimits,
  ) {}

  /** Logical values of records `first..last` (inclusive; the caller checked the range). */
  read(first: number, last: number): CdfValues {
    const v = this.variable;
    const count = last - first + 1;
    // A non-record-varying variable has one stored record that stands for every record.
    if (!v.recordVariance) this.checkVirtualBytes(first, last, (count - 1) * v.recordBytes);
    const raw = v.recordVariance ? this.readRaw(first, last) : this.repeat(this.readRaw(0, 0), count);
    const storedPerRecord = v.recordBytes / v.valueBytes;
    const values = decodeValues(raw, v.type, v.numElements, count * storedPerRecord, this.littleEndian, true);
    const map = recordLayoutMap(v.dimensions, v.dimensionVariance, this.columnMajor);
    if (!map) return values;
    return applyRecordLayout(values, count, storedPerRecord, map, v.type === 'EPOCH16' ? 2 : 1);
  }

  /** The values of a read of no records (a variable with no records). */
  empty(): CdfValues {
    return decodeValues(new Uint8Array(0), this.variable.type, this.variable.numElements, 0, this.littleEndian, true);
  }

  /** Stored bytes of records first..last in file encoding, gaps filled. */
  private readRaw(first: number, last: number): Uint8Array {
    const v = this.variable;
    const blocks = this.index();
    const overlapping = blocksOverlapping(blocks, first, last);
    const stored = overlapping.reduce((sum, b) => sum + Math.min(b.last, last) - Math.max(b.first, first) + 1, 0);
    this.checkVirtualBytes(first, last, (last - first + 1 - stored) * v.recordBytes);
    // Every byte is written below: by a block copy or by a gap fill.
    const out = uninitializedBytes((last - first + 1) * v.recordBytes);
    let next = first;
    for (const block of overlapping) {
      const from = Math.max(block.first, first);
      const to = Math.min(block.last, last);
      if (from > next) this.fillGap(out, first, next, from - 1);
      this.copyBlock(block, from, to, out, (from - first) * v.recordBytes);
      next = to + 1;
    }
    if (next <= last) this.fillGap(out, first, next, last);
    return out;
  }

  /** Refuses to synthesise more records than the limit: a damaged MaxRec must not exhaust memory. */
  private checkVirtualBytes(first: number, last: number, virtualBytes: number): void {
    if (virtualBytes <= this.limits.maxVirtualBytes) return;
    const v = this.variable;
    throw this.reader.error(
      'too-large',
      `variable ${v.name}: records ${first}-${last} would need ${virtualBytes} bytes of records the file does not store (limit ${this.limits.maxVirtualBytes})`,
      v.offset,
      `${v.kind}VDR`,
    );
  }

  private copyBlock(block: DataBlock, from: number, to: number, out: Uint8Array, outOffset: number): void {
    const v = this.variable;
    const length = (to - from + 1) * v.recordBytes;
    const skip = (from - block.first) * v.recordBytes;
    this.stats.blocksRead++;
    if (!block.compressed) {
      this.reader.source.readInto(block.offset + this.reader.headerSize + skip, length, out, outOffset);
      return;
    }
    const inflated = this.inflate(block);
    out.set(inflated.subarray(skip, skip + length), outOffset);
  }

  private inflate(block: DataBlock): Uint8Array {
    const v = this.variable;
    const { fields } = this.reader.load(block.offset, [RecordType.CVVR]);
    fields.int32();
    const compressedSize = fields.offset();
    if (compressedSize < 0 || compressedSize > fields.remaining) {
      throw fields.error('bad-field', `variable ${v.name}: compressed size ${compressedSize} exceeds the record`);
    }
    if (!isDecodable(v.compression) || v.compression === 'none') {
      throw fields.error('unsupported-compression', `variable ${v.name}: ${v.compression} compression is not decoded by this reader`);
    }
    const expected = (block.last - block.first + 1) * v.recordBytes;
    const inflated = decompressBlock(v.compression, fields.bytesOf(compressedSize), expected);
    if (!(inflated instanceof Uint8Array)) {
      throw fields.error(inflated.kind, `variable ${v.name}: block of records ${block.first}-${block.last} ${inflated.detail}`);
    }
    this.stats.blocksInflated++;
    this.stats.bytesInflated += inflated.length;
    return inflated;
  }

  /** Fills records gapFirst..gapLast of `out` (which starts at record `first`). */
  private fillGap(out: Uint8Array, first: number, gapFirst: number, gapLast: number): void {
    const v = this.variable;
    const start = (gapFirst - first) * v.recordBytes;
    const end = (gapLast - first + 1) * v.recordBytes;
    const previous = v.sparseRecords === 'previous' ? this.previousRecord(out, first, gapFirst) : undefined;
    const pattern = previous ?? this.padRecord();
    fillRepeating(out, start, end, pattern);
  }

  /** The last stored record before `record`, from `out` if it is there, else from the file. */
  private previousRecord(out: Uint8Array, first: number, record: number): Uint8Array | undefined {
    const v = this.variable;
    if (record > first) return out.slice((record - first - 1) * v.recordBytes, (record - first) * v.recordBytes);
    const before = this.index().filter((b) => b.first < record).at(-1);
    if (!before) return undefined;
    const source = Math.min(before.last, record - 1);
    return this.readRaw(source, source);
  }

  private padRecord(): Uint8Array {
    const v = this.variable;
    const pad = v.padBytes ?? defaultPadBytes(v.type, v.numElements, this.littleEndian);
    const record = new Uint8Array(v.recordBytes);
    fillRepeating(record, 0, record.length, pad);
    return record;
  }

  private repeat(record: Uint8Array, count: number): Uint8Array {
    if (count === 1) return record;
    const out = uninitializedBytes(record.length * count);
    fillRepeating(out, 0, out.length, record);
    return out;
  }

  private index(): DataBlock[] {
    this.blocks ??= readBlockIndex(this.reader, this.variable).filter((b) => b.first <= this.variable.maxRecord);
    return this.blocks;
  }
}

/** Blocks (sorted by first record) that hold any record of first..last. */
function blocksOverlapping(blocks: readonly DataBlock[], first: number, last: number): DataBlock[] {
  let low = 0;
  let high = blocks.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (blocks[mid]!.last < first) low = mid + 1;
    else high = mid;
  }
  const result: DataBlock[] = [];
  for (let i = low; i < blocks.length && blocks[i]!.first <= last; i++) result.push(blocks[i]!);
  return result;
}

/** Fills out[start, end) with `pattern` repeated, doubling the copied span each step. */
function fillRepeating(out: Uint8Array, start: number, end: number, pattern: Uint8Array): void {
  if (end <= start || pattern.length === 0) return;
  out.set(pattern.subarray(0, Math.min(pattern.length, end - start)), start);
  let filled = Math.min(pattern.length, end - start);
  while (filled < end - start) {
    const chunk = Math.min(filled, end - start - filled);
    out.copyWithin(start + filled, start, start + chunk);
    filled += chunk;
  }
}
