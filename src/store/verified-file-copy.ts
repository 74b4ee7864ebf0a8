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

/** Objects are immutable: read-only for everyone, so a job's input linked to one is read-only too. */
export const OBJECT_MODE = 0o444;

/**
 * Copies a file while hashing and counting it (one read of the source), then checks size and
 * sha256 and optionally fsyncs. Throws StoreSourceError when the source cannot be read, and the
 * verifier's typed errors on a mismatch.
 */
export async function copyVerified(copy: VerifiedCopy): Promise<void> {
  const source = await openSource(copy);
  try {
    const target = await open(copy.targetPath, 'wx', OBJECT_MODE);
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

/**
 * Checks a file already in place (moved in, not copied): reads it once through the verifier,
 * makes it read-only and optionally fsyncs it. Throws like `copyVerified`.
 */
export async function verifyInPlace(check: Omit<VerifiedCopy, 'targetPath'>): Promise<void> {
  const source = await openSource(check);
  try {
    await pump(check, source, undefined);
    check.verifier.finish();
    await source.chmod(OBJECT_MODE);
    if (check.fsync) await source.sync();
  } finally {
    await source.close();
  }
}

/** Reads the source through the verifier, writing each chunk to the target when there is one. */
async function pump(copy: Omit<VerifiedCopy, 'targetPath'>, source: FileHandle, target: FileHandle | undefined): Promise<void> {
  const buffer = Buffer.allocUnsafe(Math.min(copy.expectedSize + 1, MAX_BUFFER_BYTES));
  for (;;) {
    const bytesRead = await readSource(copy, source, buffer);
    if (bytesRead === 0) return;
    const chunk = buffer.subarray(0, bytesRead);
    copy.verifier.update(chunk);
    if (target) await writeAll(target, chunk);
  }
}

async function openSource(copy: Pick<VerifiedCopy, 'key' | 'sourcePath'>): Promise<FileHandle> {
  try {
    return await open(copy.sourcePath, 'r');
  } catch (error) {
    throw new StoreSourceError(copy.key, copy.sourcePath, { cause: error });
  }
}

async function readSource(copy: Pick<VerifiedCopy, 'key' | 'sourcePath'>, source: FileHandle, buffer: Buffer): Promise<number> {
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
