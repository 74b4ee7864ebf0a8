/**
 * The Glacier SHA-256 tree hash: SHA-256 of each 1 MiB chunk (the last may be shorter), then
 * SHA-256 of each adjacent pair of digests, level by level, an odd digest promoted unchanged,
 * until one remains. Because multipart part sizes are 1 MiB × 2ⁿ, a part's tree hash is a
 * subtree root, so the whole archive's hash is computed from the 1 MiB leaf digests.
 */
import { createHash } from 'node:crypto';

export const TREE_HASH_CHUNK = 1024 * 1024;

/** The root of the tree over `leaves` (raw 32-byte digests), as a raw digest. */
export function treeRoot(leaves: readonly Buffer[]): Buffer {
  if (leaves.length === 0) return createHash('sha256').digest();
  let level = leaves;
  while (level.length > 1) {
    const next: Buffer[] = [];
    for (let i = 0; i < level.length; i += 2) {
      next.push(i + 1 < level.length ? createHash('sha256').update(level[i]!).update(level[i + 1]!).digest() : level[i]!);
    }
    level = next;
  }
  return level[0]!;
}

/** The 1 MiB leaf digests of a buffer held whole. */
export function leafDigests(bytes: Uint8Array): Buffer[] {
  if (bytes.byteLength === 0) return [createHash('sha256').digest()];
  const leaves: Buffer[] = [];
  for (let offset = 0; offset < bytes.byteLength; offset += TREE_HASH_CHUNK) {
    leaves.push(createHash('sha256').update(bytes.subarray(offset, offset + TREE_HASH_CHUNK)).digest());
  }
  return leaves;
}

/** The tree hash (hex) of a buffer held whole. */
export function treeHash(bytes: Uint8Array): string {
  return treeRoot(leafDigests(bytes)).toString('hex');
}

/**
 * Tree hash and plain sha256 of bytes that arrive in pieces of any size, in constant memory
 * apart from the leaf digests (32 bytes per MiB).
 */
export class TreeHasher {
  readonly leaves: Buffer[] = [];
  private readonly whole = createHash('sha256');
  private leaf = createHash('sha256');
  private inLeaf = 0;
  private total = 0;

  update(chunk: Uint8Array): void {
    this.whole.update(chunk);
    this.total += chunk.byteLength;
    let offset = 0;
    while (offset < chunk.byteLength) {
      const take = Math.min(TREE_HASH_CHUNK - this.inLeaf, chunk.byteLength - offset);
      this.leaf.update(chunk.subarray(offset, offset + take));
      this.inLeaf += take;
      offset += take;
      if (this.inLeaf === TREE_HASH_CHUNK) this.closeLeaf();
    }
  }

  /** Size, tree hash and sha256 (hex) of everything fed. */
  digest(): { size: number; treeHash: string; sha256: string } {
    if (this.inLeaf > 0 || this.leaves.length === 0) this.closeLeaf();
    return { size: this.total, treeHash: treeRoot(this.leaves).toString('hex'), sha256: this.whole.digest('hex') };
  }

  private closeLeaf(): void {
    this.leaves.push(this.leaf.digest());
    this.leaf = createHash('sha256');
    this.inLeaf = 0;
  }
}
