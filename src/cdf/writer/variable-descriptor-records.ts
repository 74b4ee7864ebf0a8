import { RecordType } from '../reader/record-type.js';
import { RecordBuffer } from './record-buffer.js';

/** Size of a compression parameters record with one parameter. */
export const CPR_SIZE = 28;
const CTYPE_GZIP = 5;

const FLAG_RECORD_VARIES = 1 << 0;
const FLAG_PAD_PRESENT = 1 << 1;
const FLAG_COMPRESSED = 1 << 2;

/** Fields of one zVDR. */
export interface VariableDescriptorFields {
  next: number;
  dataType: number;
  maxRec: number;
  vxrHead: number;
  vxrTail: number;
  recordVarying: boolean;
  compressed: boolean;
  numElems: number;
  num: number;
  cprOffset: number;
  blockingFactor: number;
  name: string;
  dims: readonly number[];
  /** The pad value's bytes in the file encoding. */
  pad: Uint8Array;
}

/** Size of a zVDR with `numDims` dimensions and a pad value of `padBytes` bytes. */
export function variableDescriptorSize(numDims: number, padBytes: number): number {
  return 344 + 8 * numDims + padBytes;
}

/** zVDR: a zVariable's type, shape, flags, pad value and the head of its index. */
export function variableDescriptorRecord(f: VariableDescriptorFields): Buffer {
  let flags = FLAG_PAD_PRESENT;
  if (f.recordVarying) flags |= FLAG_RECORD_VARIES;
  if (f.compressed) flags |= FLAG_COMPRESSED;
  const n = f.dims.length;
  const record = new RecordBuffer(variableDescriptorSize(n, f.pad.length), RecordType.zVDR)
    .int64(12, f.next)
    .int32(20, f.dataType)
    .int32(24, f.maxRec)
    .int64(28, f.vxrHead)
    .int64(36, f.vxrTail)
    .int32(44, flags)
    .int32(48, 0)
    .int32(52, 0)
    .int32(56, -1)
    .int32(60, -1)
    .int32(64, f.numElems)
    .int32(68, f.num)
    .int64(72, f.cprOffset)
    .int32(80, f.blockingFactor)
    .text(84, f.name, 256)
    .int32(340, n);
  f.dims.forEach((size, i) => {
    record.int32(344 + 4 * i, size);
    record.int32(344 + 4 * n + 4 * i, -1);
  });
  return record.raw(344 + 8 * n, f.pad).bytes;
}

/** CPR for GZIP compression at `level` (1-9). */
export function gzipParametersRecord(level: number): Buffer {
  return new RecordBuffer(CPR_SIZE, RecordType.CPR).int32(12, CTYPE_GZIP).int32(16, 0).int32(20, 1).int32(24, level).bytes;
}
