import { ChainGuard } from './chain-guard.js';
import type { RecordReader } from './record-reader.js';
import { RecordType } from './record-type.js';
import type { VariableDescriptor } from './variable-descriptor.js';

/** One stored block of records: a VVR (plain) or a CVVR (compressed). */
export interface DataBlock {
  readonly first: number;
  readonly last: number;
  readonly offset: number;
  readonly size: number;
  readonly compressed: boolean;
}

/** Largest expansion a compressed block can claim (deflate's limit is about 1032:1). */
const MAX_EXPANSION = 1100;

/**
 * Collects a variable's blocks from its VXR chain, descending into lower-level VXRs (multi-level
 * trees), sorted by first record. Every block's record count is checked against its record size
 * here, so a read never allocates for records the file cannot hold.
 */
export function readBlockIndex(reader: RecordReader, variable: VariableDescriptor): DataBlock[] {
  const blocks: DataBlock[] = [];
  const guard = new ChainGuard(reader, `VXR (variable ${variable.name})`);
  const pending: number[] = [];
  for (let offset = variable.vxrHead; offset !== 0 && offset !== -1; ) {
    guard.visit(offset, 'VXR');
    offset = readVxr(reader, variable, offset, blocks, pending);
  }
  while (pending.length > 0) {
    let offset = pending.pop()!;
    // Lower levels may also be chained to one another; a VXR reached both ways is read once.
    while (offset !== 0 && offset !== -1 && !guard.has(offset)) {
      guard.visit(offset, 'VXR');
      offset = readVxr(reader, variable, offset, blocks, pending);
    }
  }
  blocks.sort((a, b) => a.first - b.first);
  for (let i = 1; i < blocks.length; i++) {
    if (blocks[i]!.first <= blocks[i - 1]!.last) {
      throw reader.error(
        'bad-field',
        `variable ${variable.name}: blocks for records ${blocks[i - 1]!.first}-${blocks[i - 1]!.last} and ${blocks[i]!.first}-${blocks[i]!.last} overlap`,
        blocks[i]!.offset,
        blocks[i]!.compressed ? 'CVVR' : 'VVR',
      );
    }
  }
  return blocks;
}

/** Reads one VXR: its blocks go to `blocks`, its sub-VXRs to `pending`; returns VXRnext. */
function readVxr(reader: RecordReader, variable: VariableDescriptor, offset: number, blocks: DataBlock[], pending: number[]): number {
  const { fields } = reader.load(offset, [RecordType.VXR]);
  const next = fields.offset();
  const entryCount = fields.int32();
  const usedCount = fields.int32();
  const entryBytes = 8 + (reader.wide ? 8 : 4);
  if (entryCount < 0 || usedCount < 0 || usedCount > entryCount || entryCount * entryBytes > fields.remaining) {
    throw fields.error('bad-field', `variable ${variable.name}: ${usedCount} of ${entryCount} entries used`);
  }
  const firsts = Array.from({ length: entryCount }, () => fields.int32());
  const lasts = Array.from({ length: entryCount }, () => fields.int32());
  const offsets = Array.from({ length: entryCount }, () => fields.offset());
  for (let i = 0; i < usedCount; i++) {
    const first = firsts[i]!;
    const last = lasts[i]!;
    if (first < 0 || last < first) {
      throw fields.error('bad-field', `variable ${variable.name}: entry ${i} covers records ${first}-${last}`);
    }
    const header = reader.header(offsets[i]!, [RecordType.VXR, RecordType.VVR, RecordType.CVVR]);
    if (header.type === RecordType.VXR) {
      pending.push(header.offset);
      continue;
    }
    const compressed = header.type === RecordType.CVVR;
    const claimed = (last - first + 1) * variable.recordBytes;
    const capacity = compressed ? header.size * MAX_EXPANSION : header.size - reader.headerSize;
    if (claimed > capacity) {
      throw reader.error(
        'bad-record-size',
        `variable ${variable.name}: records ${first}-${last} need ${claimed} bytes, the block holds ${header.size}`,
        header.offset,
        compressed ? 'CVVR' : 'VVR',
      );
    }
    blocks.push({ first, last, offset: header.offset, size: header.size, compressed });
  }
  return next;
}
