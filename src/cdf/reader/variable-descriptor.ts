import { compressionFromCode } from '../compression/block-decompressor.js';
import { CDF_DATA_TYPES, cdfDataTypeFromCode } from '../model/cdf-data-type.js';
import type { CdfCompression, CdfSparseRecords, CdfVariableInfo } from '../model/cdf-variable-info.js';
import { ChainGuard } from './chain-guard.js';
import type { FileHeader } from './file-header.js';
import type { RecordFields } from './record-fields.js';
import type { RecordReader } from './record-reader.js';
import { RecordType } from './record-type.js';

/** What a VDR (and its CPR) says about a variable, before attributes are attached. */
export interface VariableDescriptor
  extends Pick<
    CdfVariableInfo,
    | 'name'
    | 'kind'
    | 'number'
    | 'type'
    | 'numElements'
    | 'recordVariance'
    | 'dimensions'
    | 'dimensionVariance'
    | 'sparseRecords'
    | 'blockingFactor'
    | 'compression'
    | 'compressionLevel'
  > {
  readonly offset: number;
  readonly maxRecord: number;
  readonly vxrHead: number;
  /** One pad value as raw bytes in the file's encoding, if the VDR declares one. */
  readonly padBytes?: Uint8Array;
  /** Bytes of one value (NumElems × type size). */
  readonly valueBytes: number;
  /** Bytes of one stored record (non-varying dimensions are stored once). */
  readonly recordBytes: number;
}

const FLAG_RECORD_VARIANCE = 1;
const FLAG_PAD = 2;
const FLAG_COMPRESSED = 4;
const MAX_DIMENSIONS = 10;
const SPARSE: readonly CdfSparseRecords[] = ['none', 'pad', 'previous'];

/** Follows a VDR chain (zVDRs or rVDRs) for `count` variables. */
export function readVariableDescriptors(reader: RecordReader, header: FileHeader, kind: 'z' | 'r'): VariableDescriptor[] {
  const type = kind === 'z' ? RecordType.zVDR : RecordType.rVDR;
  const count = kind === 'z' ? header.zVariableCount : header.rVariableCount;
  const guard = new ChainGuard(reader, `${kind}VDR`);
  const descriptors: VariableDescriptor[] = [];
  let offset = kind === 'z' ? header.zVdrHead : header.rVdrHead;
  for (let i = 0; i < count && offset !== 0; i++) {
    guard.visit(offset, `${kind}VDR`);
    const { fields } = reader.load(offset, [type]);
    const { descriptor, next } = parseVdr(reader, header, fields, offset, kind);
    descriptors.push(descriptor);
    offset = next;
  }
  return descriptors.sort((a, b) => a.number - b.number);
}

function parseVdr(
  reader: RecordReader,
  header: FileHeader,
  fields: RecordFields,
  offset: number,
  kind: 'z' | 'r',
): { descriptor: VariableDescriptor; next: number } {
  const next = fields.offset();
  const typeCode = fields.int32();
  const maxRecord = fields.int32();
  const vxrHead = fields.offset();
  fields.offset();
  const flags = fields.int32();
  const sparseCode = fields.int32();
  fields.skip(12);
  const numElements = fields.int32();
  const number = fields.int32();
  const cprOffset = fields.offset();
  const blockingFactor = fields.int32();
  const name = fields.name();
  const type = cdfDataTypeFromCode(typeCode);
  if (!type) throw fields.error('bad-field', `variable ${name}: unknown data type code ${typeCode}`);
  const dimensions = kind === 'z' ? readDimensions(fields, name) : header.rDimensions;
  const dimensionVariance = dimensions.map(() => fields.int32() !== 0);
  const valueBytes = numElements * CDF_DATA_TYPES[type].size;
  const sparseRecords = SPARSE[sparseCode];
  if (numElements < 1 || maxRecord < -1 || sparseRecords === undefined || !Number.isSafeInteger(valueBytes)) {
    throw fields.error(
      'bad-field',
      `variable ${name}: ${numElements} elements, MaxRec ${maxRecord}, sparse-records code ${sparseCode}`,
    );
  }
  const storedElements = dimensions.reduce((product, size, i) => product * (dimensionVariance[i] ? size : 1), 1);
  const recordBytes = storedElements * valueBytes;
  if (!Number.isSafeInteger(recordBytes)) throw fields.error('bad-field', `variable ${name}: record size overflows`);
  const padBytes = (flags & FLAG_PAD) !== 0 ? fields.bytesOf(valueBytes).slice() : undefined;
  const compressed = (flags & FLAG_COMPRESSED) !== 0;
  const cpr = compressed ? readCompression(reader, cprOffset, name) : { compression: 'none' as const };
  const descriptor: VariableDescriptor = {
    offset,
    name,
    kind,
    number,
    type,
    numElements,
    maxRecord,
    recordVariance: (flags & FLAG_RECORD_VARIANCE) !== 0,
    dimensions,
    dimensionVariance,
    sparseRecords,
    blockingFactor,
    vxrHead,
    ...cpr,
    ...(padBytes ? { padBytes } : {}),
    valueBytes,
    recordBytes,
  };
  return { descriptor, next };
}

function readDimensions(fields: RecordFields, name: string): number[] {
  const count = fields.int32();
  if (count < 0 || count > MAX_DIMENSIONS) throw fields.error('bad-field', `variable ${name}: ${count} dimensions`);
  const dimensions = Array.from({ length: count }, () => fields.int32());
  if (dimensions.some((size) => size < 1)) {
    throw fields.error('bad-field', `variable ${name}: dimension sizes [${dimensions.join(', ')}]`);
  }
  return dimensions;
}

function readCompression(
  reader: RecordReader,
  cprOffset: number,
  name: string,
): { compression: CdfCompression; compressionLevel?: number } {
  const { fields } = reader.load(cprOffset, [RecordType.CPR]);
  const cType = fields.int32();
  fields.int32();
  const parameterCount = fields.int32();
  const level = parameterCount > 0 ? fields.int32() : undefined;
  const compression = compressionFromCode(cType);
  if (!compression) throw fields.error('unsupported-compression', `variable ${name}: unknown compression type ${cType}`);
  return compression === 'gzip' && level !== undefined ? { compression, compressionLevel: level } : { compression };
}
