import { chmod, writeFile } from 'node:fs/promises';

/**
 * Overwrites a stored object or a backup copy the way damage from outside the SDC would (bit rot,
 * a stray write): both are read-only files, so the mode is lifted first (root ignores it anyway).
 */
export async function overwriteReadOnly(file: string, bytes: Buffer | string): Promise<void> {
  await chmod(file, 0o644);
  await writeFile(file, bytes);
}
