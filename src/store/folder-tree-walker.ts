import type { Dir } from 'node:fs';
import { opendir, stat } from 'node:fs/promises';
import path from 'node:path';
import { isMissingPath } from './missing-path.js';

/** One object found in a folder tree. */
export interface WalkedFile {
  key: string;
  size: number;
}

/**
 * Lists the regular files under `root` whose keys start with `prefix`, lazily: one directory
 * handle per level is open at a time and nothing is collected in memory. Starts at the deepest
 * folder the prefix names and descends only into folders that can hold matching keys. The
 * top-level folder `skipTop` (the temporary files) is never entered. Symbolic links are skipped.
 */
export async function* walkFolderTree(root: string, prefix: string, skipTop: string): AsyncGenerator<WalkedFile> {
  const lastSlash = prefix.lastIndexOf('/');
  yield* walk(root, lastSlash < 0 ? '' : prefix.slice(0, lastSlash), prefix, skipTop);
}

async function* walk(root: string, folderKey: string, prefix: string, skipTop: string): AsyncGenerator<WalkedFile> {
  const dir = await openFolder(path.join(root, folderKey));
  if (!dir) return;
  for await (const entry of dir) {
    if (folderKey === '' && entry.name === skipTop) continue;
    const key = folderKey === '' ? entry.name : `${folderKey}/${entry.name}`;
    if (entry.isDirectory()) {
      if (mayHoldMatches(`${key}/`, prefix)) yield* walk(root, key, prefix, skipTop);
      continue;
    }
    if (!entry.isFile() || !key.startsWith(prefix)) continue;
    const size = await sizeOf(path.join(root, key));
    if (size !== undefined) yield { key, size };
  }
}

function mayHoldMatches(folderKey: string, prefix: string): boolean {
  return folderKey.startsWith(prefix) || prefix.startsWith(folderKey);
}

/** A folder removed while the walk runs is simply not listed. */
async function openFolder(folder: string): Promise<Dir | undefined> {
  try {
    return await opendir(folder);
  } catch (error) {
    if (isMissingPath(error)) return undefined;
    throw error;
  }
}

async function sizeOf(file: string): Promise<number | undefined> {
  try {
    return (await stat(file)).size;
  } catch (error) {
    if (isMissingPath(error)) return undefined;
    throw error;
  }
}
