import { RecordType } from '../reader/record-type.js';
import { RecordBuffer } from './record-buffer.js';

/** Size of the CDF descriptor record (fixed fields plus the 256-byte copyright). */
export const CDR_SIZE = 312;
/** Size of the global descriptor record of a file without rVariables. */
export const GDR_SIZE = 84;
/** The CDR sits right after the 8 magic bytes; the GDR follows it. */
export const CDR_OFFSET = 8;
export const GDR_OFFSET = CDR_OFFSET + CDR_SIZE;

/** The text the NASA library puts in the CDR of every file it writes. */
export const NASA_COPYRIGHT =
  '\nCommon Data Format (CDF)\nhttps://cdf.gsfc.nasa.gov\nSpace Physics Data Facility\n' +
  'NASA/Goddard Space Flight Center\nGreenbelt, Maryland 20771 USA\n';

const ENCODING_IBMPC = 6;
const FLAG_ROW_MAJOR = 1 << 0;
const FLAG_SINGLE_FILE = 1 << 1;
const FLAG_CHECKSUM = 1 << 2;
const FLAG_MD5 = 1 << 3;

/** The two magic words of an uncompressed CDF 3 file. */
export function magicNumbers(): Buffer {
  const magic = Buffer.alloc(8);
  magic.writeUInt32BE(0xcdf30001, 0);
  magic.writeUInt32BE(0x0000ffff, 4);
  return magic;
}

/** CDR of a version 3.9, IBMPC-encoded, single-file CDF. */
export function cdfDescriptorRecord(options: { rowMajor: boolean; md5: boolean; copyright: string }): Buffer {
  let flags = FLAG_SINGLE_FILE;
  if (options.rowMajor) flags |= FLAG_ROW_MAJOR;
  if (options.md5) flags |= FLAG_CHECKSUM | FLAG_MD5;
  return new RecordBuffer(CDR_SIZE, RecordType.CDR)
    .int64(12, GDR_OFFSET)
    .int32(20, 3)
    .int32(24, 9)
    .int32(28, ENCODING_IBMPC)
    .int32(32, flags)
    .int32(44, 0)
    .int32(48, -1)
    .int32(52, -1)
    .text(56, options.copyright, 256).bytes;
}

/** The fields of the GDR that depend on the file's content. */
export interface GlobalDescriptorFields {
  zVdrHead: number;
  adrHead: number;
  /** File length without the MD5 trailer. */
  eof: number;
  numAttributes: number;
  numZVariables: number;
  /** The last leap second the file knows about, YYYYMMDD. */
  leapSecondLastUpdated: number;
}

/** GDR of a file that holds zVariables only. */
export function globalDescriptorRecord(fields: GlobalDescriptorFields): Buffer {
  return new RecordBuffer(GDR_SIZE, RecordType.GDR)
    .int64(12, 0)
    .int64(20, fields.zVdrHead)
    .int64(28, fields.adrHead)
    .int64(36, fields.eof)
    .int32(44, 0)
    .int32(48, fields.numAttributes)
    .int32(52, -1)
    .int32(56, 0)
    .int32(60, fields.numZVariables)
    .int64(64, 0)
    .int32(72, 0)
    .int32(76, fields.leapSecondLastUpdated)
    .int32(80, -1).bytes;
}
