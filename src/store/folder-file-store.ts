import { randomUUID } from 'node:crypto';
import { constants } from 'node:fs';
import { access, chmod, copyFile, link, lstat, mkdir, open, rename, rm, stat, unlink, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { SdcError } from '../errors/sdc-error.js';
import { ContentVerifier } from './content-verifier.js';
import { DirectorySyncer } from './directory-syncer.js';
import { StoreObjectNotFoundError, type FileStore, type StoredObjectReader } from './file-store.js';
import { walkFolderTree } from './folder-tree-walker.js';
import { removeStaleTempFiles } from './stale-temp-cleaner.js';
import { InvalidStoreKeyError, StoreRangeError, StoreSourceError, StoreUnavailableError } from './store-errors.js';
import { assertValidKey, assertValidPrefix, isWellFormedRange, RESERVED_TOP_FOLDER } from './store-key.js';
import { isMissingPath } from './missing-path.js';
import { copyVerified, OBJECT_MODE, verifyInPlace } from './verified-file-copy.js';

/** How a completed put survives a crash. */
export type FolderDurability = 'fsync' | 'none';

/** Where and how a folder store keeps its objects. */
export interface FolderFileStoreOptions {
  /** The folder holding the objects (created when missing); a key is a path below it. */
  root: string;
  /**
   * `fsync` (default): a put resolves once the file and the directory entries leading to it are
   * on disk, so it survives power loss. `none`: no fsync; a put is still atomic (never partial
   * under its key) but the last puts before a power loss may be missing (not torn).
   */
  durability?: FolderDurability;
  /** Temporary files not modified for this long are removed when the store opens (default 10 min). */
  staleTempMs?: number;
}

const DEFAULT_STALE_TEMP_MS = 10 * 60_000;
/** Bounds the memory of folders already known to be durable; clearing it only costs fsyncs. */
const MAX_KNOWN_DURABLE_FOLDERS = 10_000;

/** What `link` fails with where a hard link cannot be made (another filesystem, none supported, too many links): the caller copies. */
const CANNOT_LINK = new Set(['EXDEV', 'EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'EMLINK']);

/** Reads in 1 MiB chunks: a large download costs 16 times fewer reads and socket writes than with Node's 64 KiB. */
const READ_CHUNK_BYTES = 1024 ** 2;

/**
 * The file store on a local folder or a POSIX/NFS tree. A put copies the source into
 * `<root>/.sdc-tmp/<uuid>` while hashing it, checks size and sha256, fsyncs, renames it onto
 * its key and fsyncs the folders whose entries changed; a move-in renames the source there
 * instead of copying it, and reads it once for the same checks. Objects are read-only (0444).
 * The sha256 is not kept beside the file (the catalog holds it).
 *
 * @example
 * const store = await FolderFileStore.open({ root: '/srv/sdc/store' });
 * await store.putFile('sc1/mag/survey/2015/10/x.cdf', '/tmp/x.cdf', { size, sha256 });
 */
export class FolderFileStore implements FileStore {
  readonly description: string;
  private readonly tempDir: string;
  private readonly syncer: DirectorySyncer | undefined;
  private readonly durableFolders = new Set<string>();

  private constructor(private readonly root: string, durability: FolderDurability) {
    this.description = `folder:${root}`;
    this.tempDir = path.join(root, RESERVED_TOP_FOLDER);
    this.syncer = durability === 'fsync' ? new DirectorySyncer() : undefined;
  }

  /** Creates the folder when missing and removes temporary files left by a crash. */
  static async open(options: FolderFileStoreOptions): Promise<FolderFileStore> {
    const store = new FolderFileStore(path.resolve(options.root), options.durability ?? 'fsync');
    try {
      await mkdir(store.tempDir, { recursive: true });
      await removeStaleTempFiles(store.tempDir, options.staleTempMs ?? DEFAULT_STALE_TEMP_MS);
    } catch (error) {
      throw new StoreUnavailableError('open', undefined, store.description, { cause: error });
    }
    return store;
  }

  async putFile(key: string, sourcePath: string, info: { size: number; sha256: string }): Promise<void> {
    await this.put(key, info, async (temp, verifier) => {
      await copyVerified({ key, sourcePath, targetPath: temp, expectedSize: info.size, verifier, fsync: this.syncer !== undefined });
    });
  }

  /** Renamed in when the source is on the store's filesystem (no copy, no new inode); copied otherwise. */
  async moveIn(key: string, sourcePath: string, info: { size: number; sha256: string }): Promise<void> {
    const fsync = this.syncer !== undefined;
    await this.put(key, info, async (temp, verifier) => {
      if (await this.renameIn(key, sourcePath, temp)) await verifyInPlace({ key, sourcePath: temp, expectedSize: info.size, verifier, fsync });
      else await copyVerified({ key, sourcePath, targetPath: temp, expectedSize: info.size, verifier, fsync });
    });
  }

  /** Fills a temporary file with `fill`, then renames it onto the key durably; the temporary file never outlives a failure. */
  private async put(key: string, info: { size: number; sha256: string }, fill: (temp: string, verifier: ContentVerifier) => Promise<void>): Promise<void> {
    assertValidKey(key);
    const target = this.pathOf(key);
    const temp = path.join(this.tempDir, randomUUID());
    try {
      await fill(temp, new ContentVerifier(key, this.description, info));
      await mkdir(path.dirname(target), { recursive: true });
      await rename(temp, target);
      await this.syncFoldersOf(key);
    } catch (error) {
      await rm(temp, { force: true });
      throw this.putError(error, key);
    }
  }

  async read(key: string, range?: { start: number; end: number }): Promise<Readable> {
    assertValidKey(key);
    if (range && !isWellFormedRange(range)) throw new StoreRangeError(key, this.description, range, 'start and end must be integers with 0 <= start <= end');
    const handle = await this.openObject(key);
    try {
      const { size } = await handle.stat();
      if (!range) return handle.createReadStream({ highWaterMark: READ_CHUNK_BYTES });
      if (range.start >= size) throw new StoreRangeError(key, this.description, range, `the object has ${size} bytes`);
      return handle.createReadStream({ start: range.start, end: Math.min(range.end, size - 1), highWaterMark: READ_CHUNK_BYTES });
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  async openReader(key: string): Promise<StoredObjectReader> {
    assertValidKey(key);
    const handle = await this.openObject(key);
    try {
      const { size } = await handle.stat();
      return {
        size,
        read: async (buffer, position) => (await handle.read(buffer, 0, buffer.length, position)).bytesRead,
        close: () => handle.close(),
      };
    } catch (error) {
      await handle.close();
      throw new StoreUnavailableError('read', key, this.description, { cause: error });
    }
  }

  async copyTo(key: string, targetPath: string): Promise<void> {
    assertValidKey(key);
    try {
      await copyFile(this.pathOf(key), targetPath, constants.COPYFILE_EXCL);
    } catch (error) {
      throw this.objectReadError(error, key);
    }
  }

  /** The link is made read-only (an object stored before objects were is 0644); one this process may not change is removed again: false. */
  async linkTo(key: string, targetPath: string): Promise<boolean> {
    assertValidKey(key);
    try {
      await link(this.pathOf(key), targetPath);
    } catch (error) {
      if (CANNOT_LINK.has((error as NodeJS.ErrnoException).code ?? '')) return false;
      throw this.objectReadError(error, key);
    }
    try {
      await chmod(targetPath, OBJECT_MODE);
      return true;
    } catch {
      await unlink(targetPath);
      return false;
    }
  }

  async stat(key: string): Promise<{ size: number } | undefined> {
    assertValidKey(key);
    try {
      const info = await stat(this.pathOf(key));
      return info.isFile() ? { size: info.size } : undefined;
    } catch (error) {
      if (isMissingPath(error)) return undefined;
      throw new StoreUnavailableError('stat', key, this.description, { cause: error });
    }
  }

  /** Removes the file (not fsynced: a delete undone by a power loss is harmless). Folders stay. */
  async delete(key: string): Promise<void> {
    assertValidKey(key);
    try {
      await unlink(this.pathOf(key));
    } catch (error) {
      if (isMissingPath(error) || (error as NodeJS.ErrnoException).code === 'EISDIR') return;
      throw new StoreUnavailableError('delete', key, this.description, { cause: error });
    }
  }

  async *list(prefix = ''): AsyncIterable<{ key: string; size: number }> {
    assertValidPrefix(prefix);
    try {
      yield* walkFolderTree(this.root, prefix, RESERVED_TOP_FOLDER);
    } catch (error) {
      throw new StoreUnavailableError('list', prefix, this.description, { cause: error });
    }
  }

  async ping(): Promise<void> {
    try {
      await access(this.tempDir, constants.R_OK | constants.W_OK);
    } catch (error) {
      throw new StoreUnavailableError('ping', undefined, this.description, { cause: error });
    }
  }

  /** Nothing is held open between calls. */
  async close(): Promise<void> {}

  /**
   * Moves the caller's file to the temporary path; false when it is on another filesystem, or is
   * not a plain file of its own (a symbolic link, or an inode with other links, which whoever
   * holds them could still change): that one is copied.
   */
  private async renameIn(key: string, sourcePath: string, temp: string): Promise<boolean> {
    try {
      const info = await lstat(sourcePath);
      if (!info.isFile() || info.nlink !== 1) return false;
      await rename(sourcePath, temp);
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EXDEV') return false;
      throw new StoreSourceError(key, sourcePath, { cause: error });
    }
  }

  private pathOf(key: string): string {
    return path.join(this.root, ...key.split('/'));
  }

  /** Opens a regular file for reading; a folder under that name counts as missing. */
  private async openObject(key: string): Promise<FileHandle> {
    let handle: FileHandle;
    try {
      handle = await open(this.pathOf(key), 'r');
    } catch (error) {
      if (isMissingPath(error)) throw new StoreObjectNotFoundError(key, this.description, { cause: error });
      throw new StoreUnavailableError('read', key, this.description, { cause: error });
    }
    if ((await handle.stat()).isFile()) return handle;
    await handle.close();
    throw new StoreObjectNotFoundError(key, this.description);
  }

  /**
   * Makes the rename durable: fsyncs the key's folder and, the first time this process writes
   * into a folder, every folder from the root down (any of them may just have been created).
   */
  private async syncFoldersOf(key: string): Promise<void> {
    const syncer = this.syncer;
    if (!syncer) return;
    const segments = key.split('/').slice(0, -1);
    const parent = segments.join('/');
    if (this.durableFolders.has(parent)) return syncer.sync(this.pathOf(parent));
    const chain = [this.root, ...segments.map((_, i) => path.join(this.root, ...segments.slice(0, i + 1)))];
    await Promise.all(chain.map((folder) => syncer.sync(folder)));
    if (this.durableFolders.size >= MAX_KNOWN_DURABLE_FOLDERS) this.durableFolders.clear();
    this.durableFolders.add(parent);
  }

  /** What a failed read of an object's file means: a missing key (a folder under its name counts as missing), or an unavailable store. */
  private objectReadError(error: unknown, key: string): Error {
    if (isMissingPath(error) || (error as NodeJS.ErrnoException).code === 'EISDIR') return new StoreObjectNotFoundError(key, this.description, { cause: error });
    return new StoreUnavailableError('read', key, this.description, { cause: error });
  }

  private putError(error: unknown, key: string): Error {
    if (error instanceof SdcError) return error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOTDIR' || code === 'EISDIR' || code === 'EEXIST') {
      return new InvalidStoreKeyError(key, 'it collides with an existing file or folder of the same name in this folder store', { cause: error });
    }
    return new StoreUnavailableError('putFile', key, this.description, { cause: error });
  }
}
