import { PassThrough, type Readable } from 'node:stream';
import type { Response } from 'express';
import { pack } from 'tar-stream';
import { ZipFile } from 'yazl';
import type { FileRow } from '../../catalog/catalog-schema.js';
import type { FileStore } from '../../store/file-store.js';
import { pipeToResponse } from './pipe-to-response.js';

export type BundleFormat = 'zip' | 'tar';

/** Most files and bytes one bundle may hold (the legacy service's limits). */
export const BUNDLE_LIMITS = { files: 500, bytes: 1024 ** 3 } as const;

/**
 * Streams several files as one uncompressed zip or tar archive, each file read from the store
 * only when its turn comes. Both formats' sizes are known in advance (stored zip entries, tar
 * blocks), so `Content-Length` is exact.
 */
export async function sendBundle(res: Response, store: FileStore, files: readonly FileRow[], format: BundleFormat, name: string): Promise<void> {
  res.set({
    'Content-Type': format === 'zip' ? 'application/zip' : 'application/x-tar',
    'Content-Disposition': `attachment; filename="${name}.${format}"`,
  });
  const stream = format === 'zip' ? await zipStream(store, files, (size) => res.set('Content-Length', String(size))) : tarStream(store, files, res);
  await pipeToResponse(stream, res);
}

function zipStream(store: FileStore, files: readonly FileRow[], onSize: (size: number) => void): Promise<Readable> {
  const zip = new ZipFile();
  for (const file of files) {
    zip.addReadStreamLazy(file.name, { size: file.size, compress: false, mtime: new Date(file.ingested_at) }, (callback) => {
      store.read(file.store_key).then((s) => callback(null, s), (error: unknown) => callback(error, new PassThrough()));
    });
  }
  return new Promise((resolve) => {
    (zip.end as (options: object, callback: (size: number) => void) => void)({}, (size) => {
      if (size >= 0) onSize(size);
      resolve(zip.outputStream as Readable);
    });
  });
}

function tarStream(store: FileStore, files: readonly FileRow[], res: Response): Readable {
  const blocks = (n: number) => Math.ceil(n / 512) * 512;
  res.set('Content-Length', String(files.reduce((sum, f) => sum + 512 + blocks(f.size), 1024)));
  const tar = pack();
  void (async () => {
    try {
      for (const file of files) {
        const entry = tar.entry({ name: file.name, size: file.size, mtime: new Date(file.ingested_at), mode: 0o644 });
        const body = await store.read(file.store_key);
        await new Promise<void>((resolve, reject) => {
          entry.on('finish', resolve);
          entry.on('error', reject);
          body.on('error', reject);
          body.pipe(entry);
        });
      }
      tar.finalize();
    } catch (error) {
      tar.destroy(error as Error);
    }
  })();
  return tar as unknown as Readable;
}
