import { createHash } from 'node:crypto';
import { CdfFormatError } from '../errors/cdf-format-error.js';
import type { ByteSource } from './byte-source.js';

const MD5_BYTES = 16;
const CHUNK_BYTES = 4 * 1024 * 1024;

/**
 * Checks the MD5 trailer: the last 16 bytes of the stored file are the MD5 of every byte before
 * them (for a whole-file-compressed file, of the compressed file). Throws `checksum-mismatch`.
 */
export function verifyMd5(source: ByteSource, file: string): void {
  const end = source.size - MD5_BYTES;
  if (end < 8) throw new CdfFormatError('truncated', 'too short to hold an MD5 trailer', { file, recordType: 'MD5', offset: 0 });
  const hash = createHash('md5');
  const chunk = new Uint8Array(Math.min(CHUNK_BYTES, end));
  for (let offset = 0; offset < end; offset += chunk.length) {
    const length = Math.min(chunk.length, end - offset);
    source.readInto(offset, length, chunk, 0);
    hash.update(chunk.subarray(0, length));
  }
  const actual = hash.digest('hex');
  const stored = Buffer.from(source.read(end, MD5_BYTES)).toString('hex');
  if (actual !== stored) {
    throw new CdfFormatError('checksum-mismatch', `MD5 of the file is ${actual}, the trailer says ${stored}`, {
      file,
      recordType: 'MD5',
      offset: end,
    });
  }
}
