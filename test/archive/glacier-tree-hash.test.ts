/**
 * The SHA-256 tree hash against the vectors of the archive reference (input byte[i] = i % 251,
 * checked there with three independent implementations), whole and fed in uneven pieces.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { leafDigests, TreeHasher, treeHash, treeRoot } from '../../src/archive/targets/glacier/tree-hash.js';

const VECTORS: [number, string][] = [
  [1, '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d'],
  [1048576, '631b84027d6b9e52b539c4e8373622d23032dfadc64d60af87339c9037e4f769'],
  [1048577, 'a9c574ce937d2371daf87cdd0e75396b096d7f74a66c764e4c656bd12b2e7bf9'],
  [3355443, 'd6146c9a8e5f86e81944307449168df0d8aff3d34947a81efaf16287449d62bd'],
  [6815744, '8bcaa7b4b8f991ca140f306627f2c4e84601364cde8e054b6e0924433ca7482f'],
  [16777217, '395c8eef3b1dd569b7af87d4e9d75656da53aa2f014cfbb60a9e6112cf65922f'],
];

function input(n: number): Buffer {
  const bytes = Buffer.alloc(n);
  for (let i = 0; i < n; i++) bytes[i] = i % 251;
  return bytes;
}

describe('SHA-256 tree hash', () => {
  it.each(VECTORS)('of %i bytes is the reference vector', (n, expected) => {
    expect(treeHash(input(n))).toBe(expected);
  });

  it('is the same when the bytes arrive in uneven pieces, and gives the plain sha256 too', () => {
    const bytes = input(6815744);
    const hasher = new TreeHasher();
    for (let offset = 0, step = 1; offset < bytes.length; offset += step, step = (step * 7 + 13) % 400_000 + 1) hasher.update(bytes.subarray(offset, offset + step));
    expect(hasher.digest()).toEqual({ size: bytes.length, treeHash: '8bcaa7b4b8f991ca140f306627f2c4e84601364cde8e054b6e0924433ca7482f', sha256: createHash('sha256').update(bytes).digest('hex') });
  });

  it('of a whole archive follows from the leaf digests of power-of-two parts', () => {
    const bytes = input(16777217);
    const partSize = 4 * 1024 * 1024;
    const leaves = [];
    for (let offset = 0; offset < bytes.length; offset += partSize) leaves.push(...leafDigests(bytes.subarray(offset, offset + partSize)));
    expect(treeRoot(leaves).toString('hex')).toBe('395c8eef3b1dd569b7af87d4e9d75656da53aa2f014cfbb60a9e6112cf65922f');
  });

  it('of no bytes is the sha256 of nothing', () => {
    expect(treeHash(Buffer.alloc(0))).toBe(createHash('sha256').digest('hex'));
  });
});
