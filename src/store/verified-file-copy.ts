import { open, type FileHandle } from 'node:fs/promises';
import type { ContentVerifier } from './content-verifier.js';
import { StoreSourceError } from './store-errors.js';

const MAX_BUFFER_BYTES = 1 << 20;

/** What to copy where, and how. */
export interface VerifiedCopy {
  /** The store key, for error messages. */
  key: string;
  sourcePath: string;
  /** A new file (created exclusively); the caller removes it when the copy throws. */
  targetPath: string;
  /** The size the caller declared; one read past it is enough to see a larger source. */
  expectedSize: number;
  verifier: ContentVerifier;
  /** fsync the target before resolving. */
  fsync: boolean;
}

/**
 * Copies a file while hashing and counting it (one read of the source), then checks size and
 * sha256 and optionally fsyncs. Throws StoreSourceError when the source cannot be read, and the
 * verifier's typed errors on a mismatch.
 */
export async function copyVerified(copy: VerifiedCopy): Promise<void> {
  const source = await openSource(copy);
  try {
    const target = await open(copy.targetPath, 'wx');
    try {
      await pump(copy, source, target);
      copy.verifier.finish();
      if (copy.fsync) await target.sync();
    } finally {
      await target.close();
    }
  } finally {
    await source.close();
  }
}

async function pump(copy: VerifiedCopy, source: FileHandle, target: FileHandle): Promise<void> {
  const buffer = Buffer.allocUnsafe(Math.min(copy.expectedSize + 1, MAX_BUFFER_BYTES));
  for (;;) {
    const bytesRead = await readSource(copy, source, buffer);
    if (bytesRead === 0) return;
    const chunk = buffer.subarray(0, bytesRead);
    copy.verifier.update(chunk);
    await writeAll(target, chunk);
  }
}

async function openSource(copy: VerifiedCopy): Promise<FileHandle> {
  try {
    return await open(copy.sourcePath, 'r');
  } catch (error) {
    throw new StoreSourceError(copy.key, copy.sourcePath, { cause: error });
  }
}

async function readSource(copy: VerifiedCopy, source: FileHandle, buffer: Buffer): Promise<number> {
  try {
    const { bytesRead } = await source.read(buffer, 0, buffer.length, null);
    return bytesRead;
  } catch (error) {
    throw new StoreSourceError(copy.key, copy.sourcePath, { cause: error });
  }
}

async function writeAll(target: FileHandle, chunk: Buffer): Promise<void> {
  for (let offset = 0; offset < chunk.length; ) {
    const { bytesWritten } = await target.write(chunk, offset, chunk.length - offset);
    offset += bytesWritten;
  }
}
