import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { CdfFormatError } from '../errors/cdf-format-error.js';
import { CdfUsageError } from '../errors/cdf-usage-error.js';
import { uninitializedBytes } from '../values/uninitialized-bytes.js';

/** Random access to the bytes of a CDF file, in memory or through a file descriptor. */
export interface ByteSource {
  readonly size: number;
  /** `length` bytes at `offset` (the caller has checked the range). May share memory: do not modify. */
  read(offset: number, length: number): Uint8Array;
  /** Copies `length` bytes at `offset` into `target` at `targetOffset` (no intermediate buffer). */
  readInto(offset: number, length: number, target: Uint8Array, targetOffset: number): void;
  close(): void;
}

/** A file already in memory; reads are views, no copies. */
export class MemoryByteSource implements ByteSource {
  private readonly bytes: Uint8Array;

  constructor(bytes: Uint8Array) {
    // A plain Uint8Array view: Buffer's slice() shares memory, Uint8Array's copies, and copies are relied on.
    this.bytes = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get size(): number {
    return this.bytes.length;
  }

  read(offset: number, length: number): Uint8Array {
    return this.bytes.subarray(offset, offset + length);
  }

  readInto(offset: number, length: number, target: Uint8Array, targetOffset: number): void {
    target.set(this.bytes.subarray(offset, offset + length), targetOffset);
  }

  close(): void {}
}

const WINDOW_BYTES = 64 * 1024;

/**
 * A file read lazily with positional reads. Small reads (record headers, descriptors) go through
 * a 64 KiB window so that walking the descriptor chains costs few system calls; large reads go
 * straight into the caller's buffer.
 */
export class FileByteSource implements ByteSource {
  readonly size: number;
  private fd: number | undefined;
  private window: Uint8Array = new Uint8Array(0);
  private windowStart = 0;

  constructor(readonly path: string) {
    try {
      this.fd = openSync(path, 'r');
    } catch (cause) {
      throw new CdfUsageError('cannot-open', `cannot open ${path}: ${(cause as Error).message}`, { cause });
    }
    try {
      this.size = fstatSync(this.fd).size;
    } catch (error) {
      this.close();
      throw error;
    }
  }

  read(offset: number, length: number): Uint8Array {
    if (offset >= this.windowStart && offset + length <= this.windowStart + this.window.length) {
      return this.window.subarray(offset - this.windowStart, offset - this.windowStart + length);
    }
    if (length > WINDOW_BYTES / 2) {
      const bytes = uninitializedBytes(length);
      this.readInto(offset, length, bytes, 0);
      return bytes;
    }
    const windowLength = Math.min(WINDOW_BYTES, this.size - offset);
    const window = uninitializedBytes(windowLength);
    this.readInto(offset, windowLength, window, 0);
    this.window = window;
    this.windowStart = offset;
    return window.subarray(0, length);
  }

  readInto(offset: number, length: number, target: Uint8Array, targetOffset: number): void {
    const fd = this.descriptor();
    let done = 0;
    while (done < length) {
      const count = readSync(fd, target, targetOffset + done, length - done, offset + done);
      if (count === 0) {
        throw new CdfFormatError('truncated', 'the file ended during a read (was it truncated while open?)', {
          file: this.path,
          recordType: 'file',
          offset: offset + done,
        });
      }
      done += count;
    }
  }

  close(): void {
    if (this.fd === undefined) return;
    closeSync(this.fd);
    this.fd = undefined;
  }

  private descriptor(): number {
    if (this.fd === undefined) throw new CdfUsageError('closed', `${this.path}: read after close()`);
    return this.fd;
  }
}
