import { describe, expect, it } from 'vitest';
import { BlockAccumulator } from './block-accumulator.js';

const bytes = (n: number, start = 0) => Uint8Array.from({ length: n }, (_, i) => (start + i) % 256);

describe('BlockAccumulator', () => {
  it('holds records back until a block is full', () => {
    const accumulator = new BlockAccumulator(2, 3);
    expect(accumulator.add(bytes(4))).toEqual([]);
    expect(accumulator.pendingRecords).toBe(2);
    const blocks = accumulator.add(bytes(4, 4));
    expect(blocks.map((b) => [...b])).toEqual([[0, 1, 2, 3, 4, 5]]);
    expect([...accumulator.drain()!]).toEqual([6, 7]);
    expect(accumulator.drain()).toBeUndefined();
  });

  it('cuts a large input into whole blocks without copying them', () => {
    const accumulator = new BlockAccumulator(1, 4);
    const input = bytes(10);
    const blocks = accumulator.add(input);
    expect(blocks).toHaveLength(2);
    expect(blocks[0]!.buffer).toBe(input.buffer);
    expect([...accumulator.drain()!]).toEqual([8, 9]);
  });

  it('keeps the partial block independent of the caller memory', () => {
    const accumulator = new BlockAccumulator(1, 4);
    const input = bytes(2);
    accumulator.add(input);
    input.fill(99);
    expect([...accumulator.drain()!]).toEqual([0, 1]);
  });
});
