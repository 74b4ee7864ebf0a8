import type { Readable } from 'node:stream';

/**
 * The hot file store: immutable objects addressed by a relative key such as
 * `<spacecraft>/<instrument>/<mode>/<level>/<yyyy>/<mm>/<file name>` (the mission decides).
 *
 * Writes are atomic: a reader never sees a partial object under its final key. Adapters: a local
 * folder (embedded default and POSIX/NFS trees) and S3.
 */
export interface FileStore {
  /** Human-readable location for messages, e.g. `folder:/srv/sdc/store` or `s3://bucket/prefix`. */
  readonly description: string;
  /**
   * Copies a local file into the store under `key`, atomically. Resolves once the object is durable.
   * `sha256` (hex) is recorded with the object where the backend can keep metadata.
   */
  putFile(key: string, sourcePath: string, info: { size: number; sha256: string }): Promise<void>;
  /** Streams an object, optionally a byte range (inclusive `end`). Rejects with StoreObjectNotFoundError. */
  read(key: string, range?: { start: number; end: number }): Promise<Readable>;
  /**
   * Opens an object for positional reads into the caller's buffers, where the backend can (a
   * local file): a large download then reuses a few buffers instead of allocating one per chunk.
   * Rejects with StoreObjectNotFoundError. Absent: use `read`.
   */
  openReader?(key: string): Promise<StoredObjectReader>;
  /**
   * Copies an object to a new local file in one call, where the backend can (a local file): a
   * job's inputs are staged this way. Rejects with StoreObjectNotFoundError. Absent: use `read`.
   */
  copyTo?(key: string, targetPath: string): Promise<void>;
  /**
   * Makes `targetPath` a hard link to an object, where the backend can (a local folder on the
   * target's filesystem): no copy and no new inode, which is what staging a job's input costs
   * most on a busy filesystem. Resolves false when it cannot link there (another filesystem, a
   * filesystem without hard links, an object this process may not make read-only), so the caller
   * copies instead. The link is read-only (0444), as objects are. Rejects with
   * StoreObjectNotFoundError.
   */
  linkTo?(key: string, targetPath: string): Promise<boolean>;
  /**
   * Like `putFile`, for a local file the caller gives up (a job's output in its scratch folder):
   * renamed into the store where the backend can (the same filesystem), then read once to check
   * size and sha256; copied otherwise. Once it resolves the source may be gone.
   */
  moveIn?(key: string, sourcePath: string, info: { size: number; sha256: string }): Promise<void>;
  /** Size of an object, or undefined when it does not exist. */
  stat(key: string): Promise<{ size: number } | undefined>;
  /** Removes an object; removing a missing one is not an error. */
  delete(key: string): Promise<void>;
  /** Lists every key under a prefix (for audits); order unspecified. */
  list(prefix?: string): AsyncIterable<{ key: string; size: number }>;
  /** Checks the backend is reachable (health checks). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** Positional reads of one stored object; `close` once done. */
export interface StoredObjectReader {
  readonly size: number;
  /** Fills `buffer` (or less at the end of the object) from `position`; resolves with the bytes read, 0 past the end. */
  read(buffer: Buffer, position: number): Promise<number>;
  close(): Promise<void>;
}

/** Thrown when a key does not exist in the store. */
export class StoreObjectNotFoundError extends Error {
  constructor(readonly key: string, readonly store: string, options?: { cause?: unknown }) {
    super(`no object '${key}' in ${store}`, options);
    this.name = 'StoreObjectNotFoundError';
  }
}
