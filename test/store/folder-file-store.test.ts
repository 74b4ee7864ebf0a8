import { spawn, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, link, lstat, mkdir, mkdtemp, open, readdir, rm, stat, symlink, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FolderFileStore, type FolderDurability } from '../../src/store/folder-file-store.js';
import { StoreObjectNotFoundError } from '../../src/store/file-store.js';
import { InvalidStoreKeyError, StoreChecksumMismatchError, StoreSourceError } from '../../src/store/store-errors.js';
import { fileStoreContract, listAll, readAll, sha256Of, sourceFiles } from './file-store-contract.js';

const here = path.dirname(fileURLToPath(import.meta.url));

function folderStoreContract(durability: FolderDurability): void {
  fileStoreContract(`FolderFileStore, durability ${durability}`, async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), 'sdc-folder-store-'));
    const store = await FolderFileStore.open({ root, durability });
    return {
      store,
      leftovers: () => readdir(path.join(root, '.sdc-tmp')),
      dispose: () => rm(root, { recursive: true, force: true }),
    };
  });
}

folderStoreContract('fsync');
folderStoreContract('none');

describe('FolderFileStore', () => {
  const sources = sourceFiles();
  let root: string;

  beforeEach(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'sdc-folder-store-'));
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('never shows a put killed mid-copy under its key, and removes its temp file on the next open', async () => {
    const bytes = randomBytes(256 * 1024);
    const fifo = path.join(root, 'source.fifo');
    execFileSync('mkfifo', [fifo]);
    const storeRoot = path.join(root, 'store');
    const key = 'mms1/fgm/l2/crash.cdf';
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'folder-put-crash-child.ts'), storeRoot, fifo, key, String(bytes.length), sha256Of(bytes)], { stdio: 'ignore' });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    const writer = await open(fifo, 'w');
    await writer.write(bytes.subarray(0, 64 * 1024));
    const tempDir = path.join(storeRoot, '.sdc-tmp');
    await waitFor(async () => (await readdir(tempDir).catch(() => [])).length === 1);
    const [temp] = await readdir(tempDir);
    await waitFor(async () => (await stat(path.join(tempDir, temp!))).size > 0);
    child.kill('SIGKILL');
    await exited;
    await writer.close();

    const afterCrash = await FolderFileStore.open({ root: storeRoot });
    expect(await afterCrash.stat(key)).toBeUndefined();
    expect(await listAll(afterCrash)).toEqual([]);
    expect(await readdir(tempDir)).toEqual([temp]);

    await FolderFileStore.open({ root: storeRoot, staleTempMs: 0 });
    expect(await readdir(tempDir)).toEqual([]);
  });

  it('removes only temp files older than staleTempMs when it opens', async () => {
    const tempDir = path.join(root, '.sdc-tmp');
    await mkdir(tempDir, { recursive: true });
    await writeFile(path.join(tempDir, 'old'), 'partial');
    await writeFile(path.join(tempDir, 'young'), 'in progress elsewhere');
    const anHourAgo = new Date(Date.now() - 3_600_000);
    await utimes(path.join(tempDir, 'old'), anHourAgo, anHourAgo);
    await FolderFileStore.open({ root, staleTempMs: 10 * 60_000 });
    expect(await readdir(tempDir)).toEqual(['young']);
  });

  it('refuses a key that collides with an existing folder or file with InvalidStoreKeyError', async () => {
    const store = await FolderFileStore.open({ root });
    const source = await sources.write(Buffer.from('content'));
    await store.putFile('a/b/c.cdf', source.path, source);
    await expect(store.putFile('a/b', source.path, source)).rejects.toBeInstanceOf(InvalidStoreKeyError);
    await expect(store.putFile('a/b/c.cdf/d.cdf', source.path, source)).rejects.toBeInstanceOf(InvalidStoreKeyError);
    expect(await readdir(path.join(root, '.sdc-tmp'))).toEqual([]);
    expect((await readAll(await store.read('a/b/c.cdf'))).toString()).toBe('content');
  });

  it('keeps objects as plain files under the root, so the tree can be served or rsynced as is', async () => {
    const store = await FolderFileStore.open({ root });
    const source = await sources.write(Buffer.from('plain'));
    await store.putFile('mms1/fgm/x.cdf', source.path, source);
    expect((await stat(path.join(root, 'mms1', 'fgm', 'x.cdf'))).size).toBe(5);
    expect((await stat(path.join(root, 'mms1', 'fgm', 'x.cdf'))).mode & 0o777).toBe(0o444);
  });

  it('links an object where the target is on its filesystem (the same inode, read-only), and says so when it cannot', async () => {
    const store = await FolderFileStore.open({ root: path.join(root, 'store') });
    const source = await sources.write(Buffer.from('linked'));
    await store.putFile('a/linked.cdf', source.path, source);
    const target = path.join(root, 'job-input.cdf');
    expect(await store.linkTo('a/linked.cdf', target)).toBe(true);
    const [linked, object] = await Promise.all([stat(target), stat(path.join(root, 'store', 'a', 'linked.cdf'))]);
    expect(linked.ino).toBe(object.ino);
    expect(linked.mode & 0o777).toBe(0o444);
    await expect(store.linkTo('a/missing.cdf', path.join(root, 'missing.cdf'))).rejects.toBeInstanceOf(StoreObjectNotFoundError);
    await chmod(path.join(root, 'store', 'a', 'linked.cdf'), 0o644); // as objects stored before they were read-only
    expect(await store.linkTo('a/linked.cdf', path.join(root, 'older-input.cdf'))).toBe(true);
    expect((await stat(path.join(root, 'older-input.cdf'))).mode & 0o777).toBe(0o444);
    const otherFilesystem = await tmpfsFolder();
    if (!otherFilesystem) return; // no tmpfs here: the cross-filesystem case cannot be shown
    try {
      expect(await store.linkTo('a/linked.cdf', path.join(otherFilesystem, 'input.cdf'))).toBe(false);
    } finally {
      await rm(otherFilesystem, { recursive: true, force: true });
    }
  });

  it('moves a file in without copying it (the same inode, read-only), and still refuses one whose checksum differs', async () => {
    const store = await FolderFileStore.open({ root: path.join(root, 'store') });
    const source = await sources.write(Buffer.from('moved in'));
    const inode = (await stat(source.path)).ino;
    await store.moveIn('a/moved.cdf', source.path, source);
    const object = await stat(path.join(root, 'store', 'a', 'moved.cdf'));
    expect(object.ino).toBe(inode);
    expect(object.mode & 0o777).toBe(0o444);
    await expect(stat(source.path)).rejects.toMatchObject({ code: 'ENOENT' });

    const wrong = await sources.write(Buffer.from('changed after it was hashed'));
    await expect(store.moveIn('a/wrong.cdf', wrong.path, { size: wrong.size, sha256: sha256Of(Buffer.from('something else')) })).rejects.toBeInstanceOf(StoreChecksumMismatchError);
    expect(await store.stat('a/wrong.cdf')).toBeUndefined();
    expect(await readdir(path.join(root, 'store', '.sdc-tmp'))).toEqual([]);
    await expect(store.moveIn('a/none.cdf', path.join(root, 'no-such-file'), source)).rejects.toBeInstanceOf(StoreSourceError);
  });

  it('copies rather than moves a file that is a symbolic link or has other hard links, leaving the source as it was', async () => {
    const store = await FolderFileStore.open({ root: path.join(root, 'store') });
    const shared = await sources.write(Buffer.from('linked elsewhere too'));
    await link(shared.path, path.join(root, 'other-name'));
    await store.moveIn('a/shared.cdf', shared.path, shared);
    expect((await stat(path.join(root, 'store', 'a', 'shared.cdf'))).ino).not.toBe((await stat(shared.path)).ino);
    const target = await sources.write(Buffer.from('behind a symbolic link'));
    const symbolic = path.join(root, 'symbolic.cdf');
    await symlink(target.path, symbolic);
    await store.moveIn('a/symbolic.cdf', symbolic, target);
    const object = await lstat(path.join(root, 'store', 'a', 'symbolic.cdf'));
    expect(object.isFile()).toBe(true);
    expect((await readAll(await store.read('a/symbolic.cdf'))).toString()).toBe('behind a symbolic link');
    expect((await lstat(symbolic)).isSymbolicLink()).toBe(true);
  });

  it('copies a file in when it lives on another filesystem', async () => {
    const otherFilesystem = await tmpfsFolder();
    if (!otherFilesystem) return; // no tmpfs here: the cross-filesystem case cannot be shown
    try {
      const store = await FolderFileStore.open({ root: path.join(root, 'store') });
      const bytes = Buffer.from('from another filesystem');
      const file = path.join(otherFilesystem, 'output.cdf');
      await writeFile(file, bytes);
      await store.moveIn('a/copied.cdf', file, { size: bytes.length, sha256: sha256Of(bytes) });
      expect(await readAll(await store.read('a/copied.cdf'))).toEqual(bytes);
      expect(await readdir(path.join(root, 'store', '.sdc-tmp'))).toEqual([]);
    } finally {
      await rm(otherFilesystem, { recursive: true, force: true });
    }
  });
});

/** A fresh folder on a tmpfs other than the test's temporary folder's filesystem, or undefined where there is none. */
async function tmpfsFolder(): Promise<string | undefined> {
  const shm = '/dev/shm';
  try {
    if ((await stat(shm)).dev === (await stat(os.tmpdir())).dev) return undefined;
    return await mkdtemp(path.join(shm, 'sdc-other-fs-'));
  } catch {
    return undefined;
  }
}

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
