import { describe, expect, it } from 'vitest';
import { buildVariableIndex, vxrSize, type IndexEntry } from './variable-index-builder.js';

function blocks(count: number): IndexEntry[] {
  return Array.from({ length: count }, (_, i) => ({ first: 10 * i, last: 10 * i + 9, offset: 1000 + 100 * i }));
}

function entriesOf(vxr: Buffer): IndexEntry[] {
  const slots = vxr.readInt32BE(20);
  const used = vxr.readInt32BE(24);
  return Array.from({ length: used }, (_, i) => ({
    first: vxr.readInt32BE(28 + 4 * i),
    last: vxr.readInt32BE(28 + 4 * slots + 4 * i),
    offset: Number(vxr.readBigInt64BE(28 + 8 * slots + 8 * i)),
  }));
}

describe('buildVariableIndex', () => {
  it('writes nothing for a variable without blocks', () => {
    expect(buildVariableIndex([], 500)).toEqual({ records: [], head: 0, end: 500 });
  });

  it('indexes up to 7 blocks with one VXR whose unused slots are -1', () => {
    const index = buildVariableIndex(blocks(3), 5000);
    expect(index.records).toHaveLength(1);
    expect(index.head).toBe(5000);
    const vxr = index.records[0]!;
    expect(vxr.readInt32BE(20)).toBe(7);
    expect(entriesOf(vxr)).toEqual(blocks(3));
    expect(vxr.readInt32BE(28 + 3 * 4)).toBe(-1);
    expect(vxr.readBigInt64BE(28 + 56 + 3 * 8)).toBe(-1n);
  });

  it('builds a multi-level tree under one root when there are many blocks', () => {
    const index = buildVariableIndex(blocks(50), 5000);
    // 50 blocks -> 8 leaves -> 2 inner VXRs -> 1 root.
    expect(index.records).toHaveLength(11);
    const size = vxrSize(7);
    expect(index.head).toBe(5000 + 10 * size);
    expect(index.end).toBe(5000 + 11 * size);
    const root = entriesOf(index.records[10]!);
    expect(root).toEqual([
      { first: 0, last: 489, offset: 5000 + 8 * size },
      { first: 490, last: 499, offset: 5000 + 9 * size },
    ]);
    const leaves = index.records.slice(0, 8).flatMap(entriesOf);
    expect(leaves).toEqual(blocks(50));
    expect(index.records.every((vxr) => vxr.readBigInt64BE(12) === 0n)).toBe(true);
  });
});
