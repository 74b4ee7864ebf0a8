import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { FolderFileStore } from '../../store/folder-file-store.js';
import { assertValidKey, RESERVED_TOP_FOLDER } from '../../store/store-key.js';
import { compareDigest, digestStream } from '../stream-digest.js';
import { isFileCopyKey, MANIFEST_FOLDER, type BackupTarget, type CopyCheck, type CopyExpectation, type TargetEntry } from './backup-target.js';

/**
 * A backup target on a local folder (the embedded default) or a mounted tree: copies are plain
 * files at `<root>/<key>`, written to a temporary file, fsynced and renamed, so a crash never
 * leaves a partial copy under a key. Reads, listing and crash leftovers go through a folder store.
 */
export class FolderBackupTarget implements BackupTarget {
  readonly description: string;
  readonly storageClass = undefined;
  readonly restorer = undefined;
  readonly restoreTier = undefined;

  private constructor(readonly name: string, private readonly root: string, private readonly store: FolderFileStore) {
    this.description = `folder:${root}`;
  }

  /** Creates the folder when missing and removes temporary files a crash left. */
  static async open(name: string, root: string): Promise<FolderBackupTarget> {
    const absolute = path.resolve(root);
    return new FolderBackupTarget(name, absolute, await FolderFileStore.open({ root: absolute }));
  }

  async put(key: string, body: Readable, _expected: CopyExpectation): Promise<string> {
    assertValidKey(key);
    await this.writeAtomically(key, async (temp) => pipeline(body, createWriteStream(temp, { flags: 'wx' })));
    return key;
  }

  async check(location: string, expected: CopyExpectation, options: { reread?: boolean } = {}): Promise<CopyCheck> {
    const stat = await this.store.stat(location);
    if (!stat) return { state: 'missing' };
    if (stat.size !== expected.size) return { state: 'size-mismatch', size: stat.size };
    if (options.reread === false) return { state: 'ok', size: stat.size, sha256: undefined, reread: false };
    return compareDigest(await digestStream(await this.store.read(location)), expected);
  }

  read(location: string): Promise<Readable> {
    return this.store.read(location);
  }

  async *list(): AsyncIterable<TargetEntry> {
    for await (const entry of this.store.list()) {
      if (isFileCopyKey(entry.key)) yield { location: entry.key, size: entry.size };
    }
  }

  async putManifest(name: string, text: string): Promise<string> {
    const key = `${MANIFEST_FOLDER}/${name}`;
    await this.writeAtomically(key, async (temp) => {
      const handle = await open(temp, 'wx');
      await handle.writeFile(text).finally(() => handle.close());
    });
    return key;
  }

  close(): Promise<void> {
    return this.store.close();
  }

  private async writeAtomically(key: string, write: (temp: string) => Promise<void>): Promise<void> {
    const temp = path.join(this.root, RESERVED_TOP_FOLDER, randomUUID());
    const target = path.join(this.root, key);
    try {
      await write(temp);
      await syncPath(temp);
      await mkdir(path.dirname(target), { recursive: true });
      await rename(temp, target);
      await syncPath(path.dirname(target));
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
  }
}

async function syncPath(file: string): Promise<void> {
  const handle = await open(file, 'r');
  await handle.sync().finally(() => handle.close());
}
