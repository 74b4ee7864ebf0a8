import { RecordType } from '../reader/record-type.js';
import { RecordBuffer } from './record-buffer.js';

/** One block of records (a VVR, a CVVR or a lower-level VXR) as a VXR entry sees it. */
export interface IndexEntry {
  first: number;
  last: number;
  offset: number;
}

/** The VXRs of one variable, ready to be written from the offset they were laid out at. */
export interface VariableIndex {
  records: Buffer[];
  /** Offset of the root VXR (0 when the variable has no records). */
  head: number;
  /** Offset just past the last VXR. */
  end: number;
}

/** Entries per VXR, as the NASA library writes them. */
export const VXR_ENTRIES = 7;

/** Size of a VXR with `entries` slots. */
export function vxrSize(entries: number): number {
  return 28 + 16 * entries;
}

/**
 * Lays out the VXR tree indexing `blocks` (in record order) from offset `start`: leaf VXRs
 * point at blocks, and while a level has more than one VXR, a level above points at it, so
 * the variable's VXRhead and VXRtail name one root.
 */
export function buildVariableIndex(blocks: readonly IndexEntry[], start: number, entriesPerVxr = VXR_ENTRIES): VariableIndex {
  if (blocks.length === 0) return { records: [], head: 0, end: start };
  const records: Buffer[] = [];
  let offset = start;
  let level: readonly IndexEntry[] = blocks;
  do {
    const parents: IndexEntry[] = [];
    for (let i = 0; i < level.length; i += entriesPerVxr) {
      const chunk = level.slice(i, i + entriesPerVxr);
      records.push(vxrRecord(chunk, entriesPerVxr));
      parents.push({ first: chunk[0]!.first, last: chunk[chunk.length - 1]!.last, offset });
      offset += vxrSize(entriesPerVxr);
    }
    level = parents;
  } while (level.length > 1);
  return { records, head: level[0]!.offset, end: offset };
}

function vxrRecord(entries: readonly IndexEntry[], slots: number): Buffer {
  const record = new RecordBuffer(vxrSize(slots), RecordType.VXR).int64(12, 0).int32(20, slots).int32(24, entries.length);
  for (let i = 0; i < slots; i++) {
    const entry = entries[i];
    record.int32(28 + 4 * i, entry ? entry.first : -1);
    record.int32(28 + 4 * slots + 4 * i, entry ? entry.last : -1);
    record.int64(28 + 8 * slots + 8 * i, entry ? entry.offset : -1);
  }
  return record.bytes;
}
