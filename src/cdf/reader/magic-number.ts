import { CdfFormatError } from '../errors/cdf-format-error.js';
import type { ByteSource } from './byte-source.js';

const MAGIC_V3 = 0xcdf30001;
const MAGIC_V2 = 0xcdf26002;
const MAGIC_PRE_V26 = 0x0000ffff;
const MAGIC_PLAIN = 0x0000ffff;
const MAGIC_COMPRESSED = 0xcccc0001;

/** What the two magic words say: CDF 3 or 2.6/2.7 (`wide` offsets), whole-file compressed or not. */
export interface MagicNumbers {
  readonly wide: boolean;
  readonly compressed: boolean;
  /** The 8 magic bytes as stored. */
  readonly magic: Uint8Array;
}

/** Reads and checks the magic numbers at the start of a file. */
export function readMagic(source: ByteSource, file: string): MagicNumbers {
  if (source.size < 8) {
    throw new CdfFormatError('truncated', `${source.size} bytes is too short for a CDF file`, { file, recordType: 'magic', offset: 0 });
  }
  const magic = source.read(0, 8).slice();
  const view = new DataView(magic.buffer);
  const first = view.getUint32(0, false);
  const second = view.getUint32(4, false);
  const location = { file, recordType: 'magic', offset: 0 };
  if (first === MAGIC_PRE_V26) {
    throw new CdfFormatError('bad-magic', 'a CDF file older than version 2.6 is not supported', location);
  }
  if (first !== MAGIC_V3 && first !== MAGIC_V2) {
    throw new CdfFormatError('bad-magic', `magic number 0x${first.toString(16).padStart(8, '0')} is not a CDF magic number`, location);
  }
  if (second !== MAGIC_PLAIN && second !== MAGIC_COMPRESSED) {
    throw new CdfFormatError('bad-magic', `second magic word 0x${second.toString(16).padStart(8, '0')} is neither plain nor compressed`, {
      ...location,
      offset: 4,
    });
  }
  return { wide: first === MAGIC_V3, compressed: second === MAGIC_COMPRESSED, magic };
}
