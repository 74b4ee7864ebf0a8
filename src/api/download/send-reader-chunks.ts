import type { Response } from 'express';
import type { StoredObjectReader } from '../../store/file-store.js';
import type { ByteRange } from './byte-range.js';

/** Bytes of one read and one socket write. */
const CHUNK_BYTES = 1024 ** 2;
/**
 * Buffers per download: one is read into while the other is written, so the disk and the
 * socket work at once; a buffer is read into again only after the socket took it. This is the
 * backpressure, and bounds a download's memory to 2 MiB whatever the client's speed.
 */
const BUFFERS = 2;

/**
 * Sends bytes `range` of a stored object through reused buffers: no allocation (and no fresh
 * pages to fault in) per chunk, unlike a read stream. Resolves when the last byte was handed to
 * the socket or the client went away; a read error or an object shorter than its catalogue size
 * aborts the response (the client sees a truncated transfer, never a wrong complete one).
 */
export async function sendReaderChunks(reader: StoredObjectReader, range: ByteRange, res: Response): Promise<void> {
  const pool = new BufferPool(BUFFERS, Math.min(CHUNK_BYTES, range.end - range.start + 1));
  const stopOnClose = () => pool.stop();
  res.on('close', stopOnClose);
  if (res.destroyed) pool.stop();
  try {
    for (let position = range.start; position <= range.end; ) {
      const buffer = await pool.take();
      if (!buffer) return;
      const wanted = Math.min(buffer.length, range.end - position + 1);
      const read = await reader.read(wanted === buffer.length ? buffer : buffer.subarray(0, wanted), position);
      if (read === 0) throw new Error(`the stored object ended at byte ${position}, before byte ${range.end}`);
      position += read;
      res.write(read === buffer.length ? buffer : buffer.subarray(0, read), () => pool.give(buffer));
    }
    res.end();
  } catch (error) {
    res.destroy(error as Error);
  } finally {
    res.off('close', stopOnClose);
    await reader.close();
  }
}

/** A few equal buffers handed out in turn; `take` waits for one to come back, or gets none once stopped. */
class BufferPool {
  private readonly free: Buffer[];
  private waiting: ((buffer: Buffer | undefined) => void) | undefined;
  private stopped = false;

  constructor(count: number, size: number) {
    this.free = Array.from({ length: count }, () => Buffer.allocUnsafeSlow(size));
  }

  take(): Promise<Buffer | undefined> {
    if (this.stopped) return Promise.resolve(undefined);
    const buffer = this.free.pop();
    if (buffer) return Promise.resolve(buffer);
    return new Promise((resolve) => (this.waiting = resolve));
  }

  give(buffer: Buffer): void {
    const waiting = this.waiting;
    this.waiting = undefined;
    if (waiting) waiting(this.stopped ? undefined : buffer);
    else this.free.push(buffer);
  }

  stop(): void {
    this.stopped = true;
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.(undefined);
  }
}
