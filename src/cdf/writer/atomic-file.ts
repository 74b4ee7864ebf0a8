import { createHash, randomBytes } from 'node:crypto';
import { open, rename, unlink, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { CdfWriteError } from './cdf-write-error.js';

const HASH_CHUNK = 4 << 20;

/**
 * A file written under a temporary name in the target's directory and renamed onto the target
 * only by `commit`, so a crash or an error never leaves a half-written file under its final name.
 */
export class AtomicFile {
  private constructor(
    readonly target: string,
    readonly temporary: string,
    private readonly handle: FileHandle,
  ) {}

  static async create(target: string): Promise<AtomicFile> {
    const temporary = path.join(
      path.dirname(target),
      `.${path.basename(target)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`,
    );
    try {
      return new AtomicFile(target, temporary, await open(temporary, 'wx+'));
    } catch (cause) {
      throw ioError(target, `cannot create ${temporary}`, cause);
    }
  }

  /** Writes the buffers one after another from `position`. */
  async write(buffers: readonly Uint8Array[], position: number): Promise<void> {
    try {
      const expected = buffers.reduce((sum, b) => sum + b.length, 0);
      const { bytesWritten } = await this.handle.writev(buffers as Uint8Array[], position);
      if (bytesWritten !== expected) {
        await this.write(remainder(buffers, bytesWritten), position + bytesWritten);
      }
    } catch (cause) {
      throw cause instanceof CdfWriteError ? cause : ioError(this.target, `cannot write at offset ${position}`, cause);
    }
  }

  /** MD5 of the first `length` bytes, read back from the file. */
  async md5(length: number): Promise<Buffer> {
    const hash = createHash('md5');
    const chunk = Buffer.allocUnsafe(Math.min(HASH_CHUNK, Math.max(length, 1)));
    try {
      for (let position = 0; position < length; ) {
        const { bytesRead } = await this.handle.read(chunk, 0, Math.min(chunk.length, length - position), position);
        if (bytesRead === 0) throw new Error(`file ended at ${position} of ${length} bytes`);
        hash.update(chunk.subarray(0, bytesRead));
        position += bytesRead;
      }
    } catch (cause) {
      throw ioError(this.target, 'cannot read the file back for its MD5', cause);
    }
    return hash.digest();
  }

  /** Flushes the data to disk, closes the file and renames it onto the target. */
  async commit(): Promise<void> {
    try {
      await this.handle.datasync();
      await this.handle.close();
      await rename(this.temporary, this.target);
    } catch (cause) {
      await this.discard();
      throw ioError(this.target, `cannot move ${this.temporary} onto ${this.target}`, cause);
    }
  }

  /** Closes and deletes the temporary file; never throws. */
  async discard(): Promise<void> {
    await this.handle.close().catch(() => undefined);
    await unlink(this.temporary).catch(() => undefined);
  }
}

function remainder(buffers: readonly Uint8Array[], skip: number): Uint8Array[] {
  const rest: Uint8Array[] = [];
  for (const buffer of buffers) {
    if (skip >= buffer.length) {
      skip -= buffer.length;
      continue;
    }
    rest.push(buffer.subarray(skip));
    skip = 0;
  }
  return rest;
}

function ioError(file: string, message: string, cause: unknown): CdfWriteError {
  const reason = cause instanceof Error ? `: ${cause.message}` : '';
  return new CdfWriteError('io-failed', `${file}: ${message}${reason}`, { file }, { cause });
}
