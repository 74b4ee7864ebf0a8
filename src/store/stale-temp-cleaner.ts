import { lstat, opendir, rm } from 'node:fs/promises';
import path from 'node:path';

/**
 * Removes temporary files a crashed put left behind: those not modified for `olderThanMs`.
 * Younger ones are kept because another process sharing the tree (NFS) may be writing them;
 * a copy in progress keeps touching its file's mtime. Returns how many were removed.
 */
export async function removeStaleTempFiles(tempDir: string, olderThanMs: number, now = Date.now()): Promise<number> {
  let removed = 0;
  for await (const entry of await opendir(tempDir)) {
    const entryPath = path.join(tempDir, entry.name);
    const info = await lstat(entryPath).catch(ignoreMissing);
    if (!info || now - info.mtimeMs < olderThanMs) continue;
    await rm(entryPath, { force: true, recursive: true });
    removed += 1;
  }
  return removed;
}

function ignoreMissing(error: NodeJS.ErrnoException): undefined {
  if (error.code === 'ENOENT') return undefined;
  throw error;
}
