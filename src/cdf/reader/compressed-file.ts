import { compressionFromCode, decompressBlock } from '../compression/block-decompressor.js';
import type { CdfCompression } from '../model/cdf-variable-info.js';
import type { ByteSource } from './byte-source.js';
import { RecordReader } from './record-reader.js';
import { RecordType } from './record-type.js';

/** A whole-file-compressed CDF expanded to the plain file it stands for. */
export interface ExpandedFile {
  /** The magic numbers of a plain file followed by the inflated records. */
  readonly image: Uint8Array;
  readonly compression: CdfCompression;
}

/**
 * Expands a file whose second magic word is 0xCCCC0001: the CCR at offset 8 holds the rest of the
 * file compressed as its CPR says; offsets inside count the 8 magic bytes, so they are put back.
 */
export function expandCompressedFile(source: ByteSource, file: string, wide: boolean, magic: Uint8Array): ExpandedFile {
  const reader = new RecordReader(source, file, wide);
  const { header, fields } = reader.load(8, [RecordType.CCR]);
  const cprOffset = fields.offset();
  const uncompressedSize = fields.offset();
  fields.int32();
  const payload = fields.bytesOf(fields.remaining);
  const cpr = reader.load(cprOffset, [RecordType.CPR]);
  const cType = cpr.fields.int32();
  const compression = compressionFromCode(cType);
  if (compression !== 'gzip' && compression !== 'rle') {
    throw reader.error(
      'unsupported-compression',
      `whole-file compression ${compression ?? `code ${cType}`} is not supported (GZIP and RLE are)`,
      cpr.header.offset,
      'CPR',
    );
  }
  if (uncompressedSize < 0) {
    throw reader.error('bad-field', `uncompressed size ${uncompressedSize} is negative`, header.offset, 'CCR');
  }
  const inflated = decompressBlock(compression, payload, uncompressedSize);
  if (!(inflated instanceof Uint8Array)) {
    throw reader.error(inflated.kind, `compressed file payload ${inflated.detail}`, header.offset, 'CCR');
  }
  const image = new Uint8Array(8 + inflated.length);
  image.set(magic.subarray(0, 4), 0);
  image.set([0x00, 0x00, 0xff, 0xff], 4);
  image.set(inflated, 8);
  return { image, compression };
}
