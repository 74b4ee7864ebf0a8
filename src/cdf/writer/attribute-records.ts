import { RecordType } from '../reader/record-type.js';
import { RecordBuffer } from './record-buffer.js';

/** Size of an attribute descriptor record. */
export const ADR_SIZE = 324;
/** Size of an attribute entry descriptor record before its value bytes. */
export const AEDR_HEADER_SIZE = 56;

/** Fields of one ADR. A global attribute has gr entries only, a variable attribute z entries only. */
export interface AttributeDescriptorFields {
  next: number;
  name: string;
  global: boolean;
  num: number;
  entriesHead: number;
  numEntries: number;
  maxEntry: number;
}

/** ADR: names an attribute, gives its scope and the head of its entry chain. */
export function attributeDescriptorRecord(f: AttributeDescriptorFields): Buffer {
  const gr = f.global ? f : { entriesHead: 0, numEntries: 0, maxEntry: -1 };
  const z = f.global ? { entriesHead: 0, numEntries: 0, maxEntry: -1 } : f;
  return new RecordBuffer(ADR_SIZE, RecordType.ADR)
    .int64(12, f.next)
    .int64(20, gr.entriesHead)
    .int32(28, f.global ? 1 : 2)
    .int32(32, f.num)
    .int32(36, gr.numEntries)
    .int32(40, gr.maxEntry)
    .int32(44, 0)
    .int64(48, z.entriesHead)
    .int32(56, z.numEntries)
    .int32(60, z.maxEntry)
    .int32(64, -1)
    .text(68, f.name, 256).bytes;
}

/** Fields of one AEDR; `num` is the entry number (global) or the variable number (variable scope). */
export interface AttributeEntryFields {
  next: number;
  global: boolean;
  attributeNum: number;
  dataType: number;
  num: number;
  numElems: number;
  /** 1 for a CHAR/UCHAR entry (one string), 0 otherwise, as CDF 3.9 writes. */
  numStrings: number;
  value: Uint8Array;
}

/** AgrEDR (global scope) or AzEDR (zVariable scope): one typed attribute entry. */
export function attributeEntryRecord(f: AttributeEntryFields): Buffer {
  return new RecordBuffer(AEDR_HEADER_SIZE + f.value.length, f.global ? RecordType.AgrEDR : RecordType.AzEDR)
    .int64(12, f.next)
    .int32(20, f.attributeNum)
    .int32(24, f.dataType)
    .int32(28, f.num)
    .int32(32, f.numElems)
    .int32(36, f.numStrings)
    .int32(40, 0)
    .int32(44, 0)
    .int32(48, -1)
    .int32(52, -1)
    .raw(AEDR_HEADER_SIZE, f.value).bytes;
}
