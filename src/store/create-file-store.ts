import type { FileStore } from './file-store.js';
import { FolderFileStore, type FolderFileStoreOptions } from './folder-file-store.js';
import { S3FileStore, type S3FileStoreOptions } from './s3-file-store.js';

/**
 * Which file store to open: a local folder (the embedded default; also POSIX/NFS trees) or S3.
 *
 * @example
 * await createFileStore({ kind: 'folder', root: '.sdc/store' });
 * await createFileStore({ kind: 's3', bucket: 'sdc', prefix: 'store/', region: 'eu-west-1' });
 */
export type FileStoreOptions = ({ kind: 'folder' } & FolderFileStoreOptions) | ({ kind: 's3' } & S3FileStoreOptions);

/** Opens the store the options name (a folder store is created and cleaned of crash leftovers). */
export async function createFileStore(options: FileStoreOptions): Promise<FileStore> {
  if (options.kind === 'folder') return FolderFileStore.open(options);
  return new S3FileStore(options);
}
