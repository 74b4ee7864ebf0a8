import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';

/** Size and sha256 (hex) of everything a stream yields, in constant memory. */
export async function digestStream(stream: Readable): Promise<{ size: number; sha256: string }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    size += chunk.length;
    hash.update(chunk);
  }
  return { size, sha256: hash.digest('hex') };
}

/** Compares what was read with what it must be. */
export function compareDigest(actual: { size: number; sha256: string }, expected: { size: number; sha256: string }) {
  if (actual.size !== expected.size) return { state: 'size-mismatch' as const, size: actual.size };
  if (actual.sha256 !== expected.sha256.toLowerCase()) return { state: 'checksum-mismatch' as const, size: actual.size, sha256: actual.sha256 };
  return { state: 'ok' as const, size: actual.size, sha256: actual.sha256, reread: true };
}
