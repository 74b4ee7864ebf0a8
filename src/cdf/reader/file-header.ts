import type { CdfMajority } from '../model/cdf-file-info.js';
import { encodingByteOrder } from './encoding.js';
import type { RecordReader } from './record-reader.js';
import { RecordType } from './record-type.js';

/** CDR and GDR facts the reader works from. */
export interface FileHeader {
  readonly version: string;
  readonly encoding: number;
  readonly littleEndian: boolean;
  readonly majority: CdfMajority;
  readonly hasChecksum: boolean;
  readonly copyright: string;
  readonly rVdrHead: number;
  readonly zVdrHead: number;
  readonly adrHead: number;
  readonly rVariableCount: number;
  readonly zVariableCount: number;
  readonly attributeCount: number;
  readonly rMaxRecord: number;
  readonly rDimensions: readonly number[];
  readonly leapSecondLastUpdated?: number;
}

const CDR_OFFSET = 8;
const FLAG_ROW_MAJOR = 1;
const FLAG_CHECKSUM = 4;
const FLAG_MD5 = 8;
const MAX_DIMENSIONS = 10;

/** Reads the CDR (always at offset 8) and the GDR it points to. */
export function readFileHeader(reader: RecordReader): FileHeader {
  const { header: cdrHeader, fields: cdr } = reader.load(CDR_OFFSET, [RecordType.CDR]);
  const gdrOffset = cdr.offset();
  const version = cdr.int32();
  const release = cdr.int32();
  const encoding = cdr.int32();
  const flags = cdr.int32();
  cdr.skip(8);
  const increment = cdr.int32();
  cdr.skip(8);
  const copyright = cdr.text(Math.min(cdr.remaining, reader.wide ? 256 : 1945)).trimEnd();
  const order = encodingByteOrder(encoding);
  if ('unsupported' in order) {
    throw reader.error('unsupported-encoding', order.unsupported, cdrHeader.offset, 'CDR');
  }

  const { header: gdrHeader, fields: gdr } = reader.load(gdrOffset, [RecordType.GDR]);
  const rVdrHead = gdr.offset();
  const zVdrHead = gdr.offset();
  const adrHead = gdr.offset();
  const end = gdr.offset();
  if (end > reader.source.size) {
    throw reader.error('truncated', `the file is ${reader.source.size} bytes, its GDR says ${end}`, gdrHeader.offset, 'GDR');
  }
  const rVariableCount = gdr.int32();
  const attributeCount = gdr.int32();
  const rMaxRecord = gdr.int32();
  const rNumDims = gdr.int32();
  const zVariableCount = gdr.int32();
  gdr.offset();
  gdr.int32();
  const leapSecondLastUpdated = gdr.int32();
  gdr.int32();
  if (rNumDims < 0 || rNumDims > MAX_DIMENSIONS || rVariableCount < 0 || zVariableCount < 0 || attributeCount < 0) {
    throw reader.error(
      'bad-field',
      `impossible counts: ${rVariableCount} rVariables, ${zVariableCount} zVariables, ${attributeCount} attributes, ${rNumDims} rDimensions`,
      gdrHeader.offset,
      'GDR',
    );
  }
  const rDimensions = Array.from({ length: rNumDims }, () => gdr.int32());
  if (rDimensions.some((size) => size < 1)) {
    throw reader.error('bad-field', `rVariable dimension sizes [${rDimensions.join(', ')}]`, gdrHeader.offset, 'GDR');
  }
  return {
    version: `${version}.${release}.${increment}`,
    encoding,
    littleEndian: order.littleEndian,
    majority: (flags & FLAG_ROW_MAJOR) !== 0 ? 'row' : 'column',
    hasChecksum: (flags & FLAG_CHECKSUM) !== 0 && (flags & FLAG_MD5) !== 0,
    copyright,
    rVdrHead,
    zVdrHead,
    adrHead,
    rVariableCount,
    zVariableCount,
    attributeCount,
    rMaxRecord,
    rDimensions,
    ...(reader.wide && leapSecondLastUpdated > 0 ? { leapSecondLastUpdated } : {}),
  };
}
