import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';

const CHUNK = 1 << 20;

/** Size and sha256 (hex) of a local file, read once, in chunks no larger than the file. */
export async function hashFile(path: string): Promise<{ size: number; sha256: string }> {
  const handle = await open(path, 'r');
  try {
    const { size: declared } = await handle.stat();
    const buffer = Buffer.allocUnsafe(Math.max(1, Math.min(declared + 1, CHUNK)));
    const hash = createHash('sha256');
    let size = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      hash.update(buffer.subarray(0, bytesRead));
      size += bytesRead;
    }
    return { size, sha256: hash.digest('hex') };
  } finally {
    await handle.close();
  }
}
