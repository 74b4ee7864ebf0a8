/**
 * The behaviour every FileStore adapter must show, as one suite registered per adapter
 * (`folder-file-store.test.ts`, `s3-file-store.test.ts`), so the adapters cannot drift apart.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { StoreObjectNotFoundError, type FileStore } from '../../src/store/file-store.js';
import { InvalidStoreKeyError, StoreChecksumMismatchError, StoreRangeError, StoreSizeMismatchError, StoreSourceError } from '../../src/store/store-errors.js';

/** A store opened on an empty space (a fresh folder, a fresh S3 prefix) for one test. */
export interface StoreUnderTest {
  store: FileStore;
  /** Temporary files the store holds outside its keys (the folder store's temp folder). */
  leftovers?(): Promise<string[]>;
  /** Removes what the test left (after `store.close()`). */
  dispose?(): Promise<void>;
}

/** A local source file and what a caller would declare for it. */
export interface SourceFile {
  path: string;
  bytes: Buffer;
  size: number;
  sha256: string;
}

export const BAD_KEYS = ['', '/abs/x.cdf', 'a/../b.cdf', '..', 'a\\b.cdf', 'a\u0000b.cdf', 'a//b.cdf', 'a/', './a.cdf', 'a\nb.cdf', '.sdc-tmp/x.cdf', 'x'.repeat(1025), `a/${'y'.repeat(256)}`];
const MiB = 1024 * 1024;

/** Writes source files into a private temporary folder, removed after the suite. */
export function sourceFiles(): { write(bytes: Buffer): Promise<SourceFile> } {
  let folder = '';
  let count = 0;
  beforeAll(async () => {
    folder = await mkdtemp(path.join(os.tmpdir(), 'sdc-store-sources-'));
  });
  afterAll(async () => {
    await rm(folder, { recursive: true, force: true });
  });
  return {
    async write(bytes) {
      const file = path.join(folder, `source-${count++}`);
      await writeFile(file, bytes);
      return { path: file, bytes, size: bytes.length, sha256: sha256Of(bytes) };
    },
  };
}

export function sha256Of(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export async function listAll(store: FileStore, prefix?: string): Promise<{ key: string; size: number }[]> {
  const found: { key: string; size: number }[] = [];
  for await (const item of store.list(prefix)) found.push(item);
  return found.sort((a, b) => a.key.localeCompare(b.key));
}

/** Registers the FileStore contract for one adapter; `open` is called once per test. */
export function fileStoreContract(name: string, open: () => Promise<StoreUnderTest>): void {
  describe(`${name} (FileStore contract)`, () => {
    const sources = sourceFiles();
    let subject: StoreUnderTest;
    let store: FileStore;

    beforeEach(async () => {
      subject = await open();
      store = subject.store;
    });
    afterEach(async () => {
      await store.close();
      await subject.dispose?.();
    });

    const put = async (key: string, bytes: Buffer): Promise<SourceFile> => {
      const source = await sources.write(bytes);
      await store.putFile(key, source.path, source);
      return source;
    };

    it('stores a file and reads back the same bytes, with its size from stat', async () => {
      const bytes = randomBytes(4096);
      await put('mms1/fgm/srvy/l2/2015/10/mms1_fgm_srvy_l2_20151016_v4.18.0.cdf', bytes);
      expect(await readAll(await store.read('mms1/fgm/srvy/l2/2015/10/mms1_fgm_srvy_l2_20151016_v4.18.0.cdf'))).toEqual(bytes);
      expect(await store.stat('mms1/fgm/srvy/l2/2015/10/mms1_fgm_srvy_l2_20151016_v4.18.0.cdf')).toEqual({ size: 4096 });
      expect(store.description.length).toBeGreaterThan(0);
    });

    it('stores an empty file', async () => {
      await put('empty.dat', Buffer.alloc(0));
      expect(await store.stat('empty.dat')).toEqual({ size: 0 });
      expect(await readAll(await store.read('empty.dat'))).toEqual(Buffer.alloc(0));
    });

    it('accepts keys with spaces and non-ASCII characters', async () => {
      const bytes = Buffer.from('été');
      await put('team uploads/é/ß file (1).txt', bytes);
      expect(await readAll(await store.read('team uploads/é/ß file (1).txt'))).toEqual(bytes);
      expect(await listAll(store, 'team uploads/')).toEqual([{ key: 'team uploads/é/ß file (1).txt', size: bytes.length }]);
    });

    it('replaces an object put again under the same key', async () => {
      await put('a/b.cdf', Buffer.from('first version'));
      await put('a/b.cdf', Buffer.from('second'));
      expect((await readAll(await store.read('a/b.cdf'))).toString()).toBe('second');
    });

    it('reads an inclusive byte range, clamping an end past the last byte', async () => {
      const bytes = randomBytes(1000);
      await put('r/range.bin', bytes);
      expect(await readAll(await store.read('r/range.bin', { start: 10, end: 19 }))).toEqual(bytes.subarray(10, 20));
      expect(await readAll(await store.read('r/range.bin', { start: 999, end: 999 }))).toEqual(bytes.subarray(999));
      expect(await readAll(await store.read('r/range.bin', { start: 990, end: 5000 }))).toEqual(bytes.subarray(990));
    });

    it('refuses a range that starts past the end, or is malformed, with StoreRangeError', async () => {
      await put('r/short.bin', randomBytes(100));
      await expect(store.read('r/short.bin', { start: 100, end: 200 })).rejects.toBeInstanceOf(StoreRangeError);
      await expect(store.read('r/short.bin', { start: 20, end: 10 })).rejects.toBeInstanceOf(StoreRangeError);
      await expect(store.read('r/short.bin', { start: -1, end: 10 })).rejects.toBeInstanceOf(StoreRangeError);
      await expect(store.read('r/short.bin', { start: 0.5, end: 10 })).rejects.toBeInstanceOf(StoreRangeError);
    });

    it('gives undefined from stat and StoreObjectNotFoundError (naming the key) from read for a missing key', async () => {
      await put('present/x.cdf', Buffer.from('x'));
      expect(await store.stat('present/missing.cdf')).toBeUndefined();
      expect(await store.stat('absent/folder/missing.cdf')).toBeUndefined();
      expect(await store.stat('present')).toBeUndefined();
      const error = await store.read('present/missing.cdf').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StoreObjectNotFoundError);
      expect((error as StoreObjectNotFoundError).key).toBe('present/missing.cdf');
      await expect(store.read('present')).rejects.toBeInstanceOf(StoreObjectNotFoundError);
    });

    it('reads by position into the caller\'s buffers where it offers openReader (0 past the end), and refuses a missing key', async () => {
      if (!store.openReader) return; // optional: a store without it is read as a stream
      const bytes = randomBytes(3000);
      await put('p/positional.bin', bytes);
      const reader = await store.openReader('p/positional.bin');
      try {
        expect(reader.size).toBe(3000);
        const buffer = Buffer.alloc(1024);
        expect(await reader.read(buffer, 100)).toBe(1024);
        expect(buffer).toEqual(bytes.subarray(100, 1124));
        expect(await reader.read(buffer, 2500)).toBe(500);
        expect(buffer.subarray(0, 500)).toEqual(bytes.subarray(2500));
        expect(await reader.read(buffer, 3000)).toBe(0);
      } finally {
        await reader.close();
      }
      await expect(store.openReader('p/missing.bin')).rejects.toBeInstanceOf(StoreObjectNotFoundError);
      await expect(store.openReader('p')).rejects.toBeInstanceOf(StoreObjectNotFoundError);
    });

    it('copies an object to a local file where it offers copyTo, and refuses a missing key without leaving a file', async () => {
      if (!store.copyTo) return; // optional: a store without it is read as a stream
      const bytes = randomBytes(3000);
      await put('p/copied.bin', bytes);
      const scratch = await mkdtemp(path.join(os.tmpdir(), 'sdc-store-copy-'));
      try {
        await store.copyTo('p/copied.bin', path.join(scratch, 'copied.bin'));
        expect(await readFile(path.join(scratch, 'copied.bin'))).toEqual(bytes);
        await expect(store.copyTo('p/missing.bin', path.join(scratch, 'missing.bin'))).rejects.toBeInstanceOf(StoreObjectNotFoundError);
        await expect(store.copyTo('p', path.join(scratch, 'folder'))).rejects.toBeInstanceOf(StoreObjectNotFoundError);
        expect(await readdir(scratch)).toEqual(['copied.bin']);
      } finally {
        await rm(scratch, { recursive: true, force: true });
      }
    });

    it('deletes an object, and deleting a missing one is not an error', async () => {
      await put('d/gone.cdf', Buffer.from('bye'));
      await store.delete('d/gone.cdf');
      expect(await store.stat('d/gone.cdf')).toBeUndefined();
      await expect(store.delete('d/gone.cdf')).resolves.toBeUndefined();
      await expect(store.delete('never/was.cdf')).resolves.toBeUndefined();
    });

    it('lists every key with its size, under a folder prefix and under a partial-name prefix', async () => {
      await put('mms1/fgm/l2/a_v1.cdf', Buffer.alloc(1));
      await put('mms1/fgm/l2/a_v2.cdf', Buffer.alloc(2));
      await put('mms1/fgm/l2/b_v1.cdf', Buffer.alloc(3));
      await put('mms1/fgmx/l2/c.cdf', Buffer.alloc(4));
      await put('mms2/fgm/l2/d.cdf', Buffer.alloc(5));
      await put('top.txt', Buffer.alloc(6));
      expect((await listAll(store)).map((item) => item.key)).toEqual(['mms1/fgm/l2/a_v1.cdf', 'mms1/fgm/l2/a_v2.cdf', 'mms1/fgm/l2/b_v1.cdf', 'mms1/fgmx/l2/c.cdf', 'mms2/fgm/l2/d.cdf', 'top.txt']);
      expect(await listAll(store, 'mms1/fgm/')).toEqual([
        { key: 'mms1/fgm/l2/a_v1.cdf', size: 1 },
        { key: 'mms1/fgm/l2/a_v2.cdf', size: 2 },
        { key: 'mms1/fgm/l2/b_v1.cdf', size: 3 },
      ]);
      expect((await listAll(store, 'mms1/fgm')).map((item) => item.key)).toContain('mms1/fgmx/l2/c.cdf');
      expect((await listAll(store, 'mms1/fgm/l2/a_')).map((item) => item.key)).toEqual(['mms1/fgm/l2/a_v1.cdf', 'mms1/fgm/l2/a_v2.cdf']);
      expect(await listAll(store, 'nothing/here/')).toEqual([]);
    });

    it('answers ping', async () => {
      await expect(store.ping()).resolves.toBeUndefined();
    });

    it('stores a 12 MB file and reads it back intact', async () => {
      const bytes = randomBytes(12 * MiB + 12_345);
      await put('big/file.bin', bytes);
      expect(await store.stat('big/file.bin')).toEqual({ size: bytes.length });
      expect(sha256Of(await readAll(await store.read('big/file.bin')))).toBe(sha256Of(bytes));
      expect(await readAll(await store.read('big/file.bin', { start: 6 * MiB, end: 6 * MiB + 99 }))).toEqual(bytes.subarray(6 * MiB, 6 * MiB + 100));
    });

    it('stores 40 files put concurrently', async () => {
      const files = Array.from({ length: 40 }, (_, i) => ({ key: `many/${i % 3}/f${i}.dat`, bytes: randomBytes(100 + i) }));
      await Promise.all(files.map((file) => put(file.key, file.bytes)));
      const listed = await listAll(store, 'many/');
      expect(listed).toHaveLength(40);
      for (const file of files) expect(await readAll(await store.read(file.key))).toEqual(file.bytes);
    });

    it('refuses a put whose bytes do not match the declared sha256, leaving nothing under the key', async () => {
      const source = await sources.write(randomBytes(2048));
      const wrong = sha256Of(Buffer.from('something else'));
      const error = await store.putFile('bad/sum.cdf', source.path, { size: source.size, sha256: wrong }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StoreChecksumMismatchError);
      expect(error).toMatchObject({ key: 'bad/sum.cdf', expected: wrong, actual: source.sha256 });
      expect(await store.stat('bad/sum.cdf')).toBeUndefined();
      expect(await listAll(store)).toEqual([]);
      expect((await subject.leftovers?.()) ?? []).toEqual([]);
    });

    it('keeps the previous object when a mismatching put targets its key', async () => {
      await put('keep/me.cdf', Buffer.from('good bytes'));
      const source = await sources.write(Buffer.from('bad bytes!'));
      await expect(store.putFile('keep/me.cdf', source.path, { size: source.size, sha256: sha256Of(Buffer.from('other')) })).rejects.toBeInstanceOf(StoreChecksumMismatchError);
      expect((await readAll(await store.read('keep/me.cdf'))).toString()).toBe('good bytes');
    });

    it('refuses a source larger or smaller than declared with StoreSizeMismatchError', async () => {
      const source = await sources.write(randomBytes(5000));
      await expect(store.putFile('size/small.cdf', source.path, { size: 4000, sha256: source.sha256 })).rejects.toBeInstanceOf(StoreSizeMismatchError);
      await expect(store.putFile('size/large.cdf', source.path, { size: 6000, sha256: source.sha256 })).rejects.toBeInstanceOf(StoreSizeMismatchError);
      expect(await listAll(store)).toEqual([]);
      expect((await subject.leftovers?.()) ?? []).toEqual([]);
    });

    it('refuses a missing source file with StoreSourceError', async () => {
      const error = await store.putFile('src/missing.cdf', '/nonexistent/source.cdf', { size: 1, sha256: sha256Of(Buffer.from('x')) }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StoreSourceError);
      expect((error as StoreSourceError).message).toContain('/nonexistent/source.cdf');
      expect(await listAll(store)).toEqual([]);
    });

    it('refuses bad keys in every operation with InvalidStoreKeyError, writing nothing', async () => {
      const source = await sources.write(Buffer.from('payload'));
      for (const key of BAD_KEYS) {
        await expect(store.putFile(key, source.path, source), JSON.stringify(key)).rejects.toBeInstanceOf(InvalidStoreKeyError);
        await expect(store.read(key)).rejects.toBeInstanceOf(InvalidStoreKeyError);
        await expect(store.stat(key)).rejects.toBeInstanceOf(InvalidStoreKeyError);
        await expect(store.delete(key)).rejects.toBeInstanceOf(InvalidStoreKeyError);
      }
      for (const prefix of ['/abs/', 'a/../', 'a\\b', '.sdc-tmp/']) {
        await expect(listAll(store, prefix), prefix).rejects.toBeInstanceOf(InvalidStoreKeyError);
      }
      expect(await listAll(store)).toEqual([]);
      expect((await subject.leftovers?.()) ?? []).toEqual([]);
    });
  });
}
