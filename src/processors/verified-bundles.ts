import { existsSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { bundleHash } from './bundle-hash.js';

/**
 * Remembers which bundle folders were found to hash to their deployed sha256, with a fingerprint
 * of their files (path, size, inode, modification and change times), so a job re-hashes a bundle
 * only when a file was added, removed, replaced or touched since. The change time cannot be set
 * back by anyone but the kernel, so an edit that restores the modification time is still seen.
 */
export class VerifiedBundles {
  private readonly fingerprints = new Map<string, string>();

  /** The bundle's sha256 now: `expected` when its files are unchanged since last verified, else hashed again ('missing' when the folder is gone). */
  async currentHash(folder: string, expected: string): Promise<string> {
    if (!existsSync(folder)) return 'missing';
    const key = `${folder}\0${expected}`;
    // Taken before hashing: a change made while hashing shows up at the next check.
    const before = await fingerprint(folder);
    if (this.fingerprints.get(key) === before) return expected;
    const actual = await bundleHash(folder);
    if (actual === expected) this.fingerprints.set(key, before);
    else this.fingerprints.delete(key);
    return actual;
  }
}

async function fingerprint(folder: string): Promise<string> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  const files = entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name)).sort();
  const stats = await Promise.all(files.map((file) => stat(file, { bigint: true })));
  return files.map((file, i) => `${path.relative(folder, file)}\t${stats[i]!.size}\t${stats[i]!.ino}\t${stats[i]!.mtimeNs}\t${stats[i]!.ctimeNs}`).join('\n');
}
