import { RecordType } from '../reader/record-type.js';
import { RecordBuffer } from './record-buffer.js';

/** Bytes before the values in a VVR. */
export const VVR_HEADER_SIZE = 12;
/** Bytes before the gzip member in a CVVR. */
export const CVVR_HEADER_SIZE = 24;

/** Header of a VVR holding `valueBytes` bytes of records. */
export function valuesRecordHeader(valueBytes: number): Buffer {
  return new RecordBuffer(VVR_HEADER_SIZE, RecordType.VVR).int64(0, VVR_HEADER_SIZE + valueBytes).bytes;
}

/** Header of a CVVR holding a gzip member of `compressedBytes` bytes. */
export function compressedValuesRecordHeader(compressedBytes: number): Buffer {
  return new RecordBuffer(CVVR_HEADER_SIZE, RecordType.CVVR)
    .int64(0, CVVR_HEADER_SIZE + compressedBytes)
    .int32(12, 0)
    .int64(16, compressedBytes).bytes;
}
