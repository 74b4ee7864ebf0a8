import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import { createHash } from 'node:crypto';
import type { FileStore } from '../store/file-store.js';
import { digestStream } from './stream-digest.js';

/**
 * Moves a dark object (in the hot store, not catalogued) aside into `<darkDir>/<key>`: the bytes
 * are copied and hashed, the copy is re-read and must hash the same, and only then is the object
 * removed from the store, so the move never loses the only copy of anything.
 * @returns where the bytes now are
 */
export async function moveDarkObjectAside(store: FileStore, key: string, darkDir: string): Promise<string> {
  const destination = path.join(darkDir, key);
  const temp = path.join(darkDir, `.${randomUUID()}.tmp`);
  await mkdir(darkDir, { recursive: true });
  const hash = createHash('sha256');
  const hashing = new Transform({ transform: (chunk: Buffer, _e, done) => (hash.update(chunk), done(null, chunk)) });
  try {
    await pipeline(await store.read(key), hashing, createWriteStream(temp, { flags: 'wx' }));
    const written = await digestStream(createReadStream(temp));
    if (written.sha256 !== hash.digest('hex')) throw new Error(`the copy of dark object '${key}' in ${darkDir} does not read back the same; the object is left in the store`);
    await mkdir(path.dirname(destination), { recursive: true });
    await rename(temp, destination);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  await store.delete(key);
  return destination;
}
