import type { CdfGlobalAttribute } from '../model/cdf-attribute.js';
import type { CdfMetadata } from '../model/cdf-metadata.js';
import type { CdfOpenOptions, CdfReader } from '../model/cdf-reader.js';
import type { CdfReadStats } from '../model/cdf-variable-data.js';
import type { CdfCompression } from '../model/cdf-variable-info.js';
import { readAttributes, type AttributeRecord } from './attribute-reader.js';
import { FileByteSource, MemoryByteSource, type ByteSource } from './byte-source.js';
import { CdfFileReader, type ParsedCdf } from './cdf-file-reader.js';
import { expandCompressedFile } from './compressed-file.js';
import { readFileHeader } from './file-header.js';
import { readMagic } from './magic-number.js';
import { RecordReader } from './record-reader.js';
import { readVariableDescriptors } from './variable-descriptor.js';
import { VariableReader } from './variable-reader.js';
import { variableInfo } from './variable-info-builder.js';

/** Default of `CdfOpenOptions.maxVirtualBytes`. */
const MAX_VIRTUAL_BYTES = 256 * 1024 * 1024;

/**
 * Opens a CDF file: a path (read lazily with positional reads; call `close()`), or the bytes of
 * a file. Descriptors and attributes are parsed now, data on `read()`.
 * Throws CdfFormatError for a malformed or unsupported file.
 *
 * @example
 * const cdf = openCdf('psp_fld_l2_mag_rtn_1min_20200104_v02.cdf');
 * const epoch = cdf.read('epoch_mag_RTN_1min').values as BigInt64Array;
 * cdf.close();
 */
export function openCdf(source: string | Uint8Array, options: CdfOpenOptions = {}): CdfReader {
  const name = typeof source === 'string' ? source : (options.name ?? '<memory>');
  const stored: ByteSource = typeof source === 'string' ? new FileByteSource(source) : new MemoryByteSource(source);
  try {
    const reader = new CdfFileReader(parse(stored, name, options.maxVirtualBytes ?? MAX_VIRTUAL_BYTES), options);
    if (options.verifyChecksum) reader.verifyChecksum();
    return reader;
  } catch (error) {
    stored.close();
    throw error;
  }
}

/** Opens a file, returns its metadata (including the time range) and closes it. */
export function readCdfMetadata(source: string | Uint8Array, options: CdfOpenOptions = {}): CdfMetadata {
  const cdf = openCdf(source, options);
  try {
    return cdf.metadata();
  } finally {
    cdf.close();
  }
}

function parse(stored: ByteSource, file: string, maxVirtualBytes: number): ParsedCdf {
  const { wide, compressed, magic } = readMagic(stored, file);
  let data = stored;
  let fileCompression: CdfCompression = 'none';
  if (compressed) {
    const expanded = expandCompressedFile(stored, file, wide, magic);
    data = new MemoryByteSource(expanded.image);
    fileCompression = expanded.compression;
  }
  const reader = new RecordReader(data, file, wide);
  const header = readFileHeader(reader);
  const attributes = readAttributes(reader, header);
  const descriptors = [...readVariableDescriptors(reader, header, 'r'), ...readVariableDescriptors(reader, header, 'z')];
  const stats: CdfReadStats = { blocksRead: 0, blocksInflated: 0, bytesInflated: 0 };
  const variables = descriptors.map((d) => variableInfo(d, attributes, header.littleEndian));
  const readers = new Map<string, VariableReader>();
  for (const descriptor of descriptors) {
    const variableReader = new VariableReader(reader, descriptor, header.littleEndian, header.majority === 'column', stats, {
      maxVirtualBytes,
    });
    readers.set(descriptor.name, variableReader);
  }
  return {
    file: {
      name: file,
      size: stored.size,
      version: header.version,
      encoding: header.encoding,
      littleEndian: header.littleEndian,
      majority: header.majority,
      fileCompression,
      hasChecksum: header.hasChecksum,
      ...(header.leapSecondLastUpdated !== undefined ? { leapSecondLastUpdated: header.leapSecondLastUpdated } : {}),
      copyright: header.copyright,
    },
    stored,
    reader,
    globalAttributes: globalAttributes(attributes),
    variables,
    readers,
    stats,
  };
}

function globalAttributes(attributes: readonly AttributeRecord[]): CdfGlobalAttribute[] {
  return attributes
    .filter((a) => a.global)
    .sort((a, b) => a.number - b.number)
    .map((a) => ({ name: a.name, number: a.number, entries: a.rEntries.map(({ num, entry }) => ({ index: num, ...entry })) }));
}
