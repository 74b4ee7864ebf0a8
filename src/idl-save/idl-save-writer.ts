import { DateTime } from 'luxon';
import { IdlValueError } from './idl-save-error.js';
import { MAX_DIMS, MEMORY_SIZE, STRUCT_TYPE_CODE, TYPE_CODE, type IdlValue } from './idl-types.js';
import { encodeValue } from './value-encoder.js';
import { count, layoutOf, type StructLayout, type TypeLayout } from './value-layout.js';
import { XdrSink } from './xdr-sink.js';

/** Record types the writer emits. */
const RECORD = { variable: 2, end: 6, timestamp: 10, version: 14 } as const;
/** SAVE format version IDL 6 to 8 write. */
const FORMAT_VERSION = 9;
/** VARFLAGS / TAGFLAGS bits as IDL writes them (0x10 is set by IDL on every array and structure). */
const FLAG = { array: 0x14, struct: 0x34 } as const;
/** STRUCT_DESC PREDEF word IDL writes for a structure defined in full. */
const STRUCT_DEFINED = 8;
const VARSTART = 7;
const ARRSTART = 8;
const STRUCTSTART = 9;
const VARIABLE_NAME = /^[A-Z_][A-Z0-9_$]*$/;

export interface IdlSaveWriteOptions {
  /** Written into the TIMESTAMP record (default: now). */
  date?: Date;
  user?: string;
  host?: string;
  /** The IDL release the VERSION record names (default 8.0). */
  release?: string;
}

/**
 * Encodes variables as an uncompressed IDL SAVE file (what `save, var1, var2, filename=...`
 * writes): the signature, a TIMESTAMP and a VERSION record, one VARIABLE record per variable
 * (names upper-cased, as IDL keeps them), the END_MARKER. Throws IdlValueError for a value IDL
 * cannot hold as given.
 */
export function writeIdlSave(variables: Record<string, IdlValue>, options: IdlSaveWriteOptions = {}): Uint8Array {
  const sink = new XdrSink();
  sink.bytes(Uint8Array.of(0x53, 0x52, 0x00, 0x04));
  record(sink, RECORD.timestamp, () => {
    for (let i = 0; i < 256; i += 1) sink.int32(0);
    sink.string(DateTime.fromJSDate(options.date ?? new Date(), { zone: 'utc' }).toFormat('ccc LLL dd HH:mm:ss yyyy'));
    sink.string(options.user ?? '');
    sink.string(options.host ?? '');
  });
  record(sink, RECORD.version, () => {
    sink.int32(FORMAT_VERSION);
    sink.string('x86_64');
    sink.string('linux');
    sink.string(options.release ?? '8.0');
  });
  for (const [rawName, value] of Object.entries(variables)) {
    const name = rawName.toUpperCase();
    if (!VARIABLE_NAME.test(name)) throw new IdlValueError(`'${rawName}' is not an IDL variable name`, rawName);
    const layout = layoutOf(value, name);
    record(sink, RECORD.variable, () => {
      sink.string(name);
      typeDescriptor(sink, layout);
      sink.int32(VARSTART);
      encodeValue(sink, value, layout, name);
    });
  }
  record(sink, RECORD.end, () => undefined, true);
  return sink.result();
}

/** A record: RECTYPE, NEXTREC (64 bits, low word first), a zero word, the body. The END_MARKER links nowhere. */
function record(sink: XdrSink, type: number, body: () => void, last = false): void {
  sink.int32(type);
  const link = sink.length;
  sink.uint32(0);
  sink.uint32(0);
  sink.uint32(0);
  body();
  if (last) return;
  sink.patchUint32(link, sink.length % 2 ** 32);
  sink.patchUint32(link + 4, Math.floor(sink.length / 2 ** 32));
}

function typeDescriptor(sink: XdrSink, layout: TypeLayout): void {
  if (layout.kind === 'scalar') {
    sink.int32(TYPE_CODE[layout.type]);
    sink.int32(0);
    return;
  }
  if (layout.kind === 'array') {
    sink.int32(TYPE_CODE[layout.type]);
    sink.int32(FLAG.array);
    arrayDescriptor(sink, MEMORY_SIZE[layout.type], layout.dims);
    return;
  }
  sink.int32(STRUCT_TYPE_CODE);
  sink.int32(FLAG.struct);
  arrayDescriptor(sink, layout.size, layout.dims);
  structDescriptor(sink, layout);
}

/** ARRAY_DESC: ARRSTART, element size, NBYTES, NELEMENTS, NDIMS, two zero words, NMAX = 8, the dimensions padded with 1. */
function arrayDescriptor(sink: XdrSink, elementSize: number, dims: readonly number[]): void {
  const n = count(dims);
  sink.int32(ARRSTART);
  sink.int32(elementSize);
  sink.int32(elementSize * n);
  sink.int32(n);
  sink.int32(dims.length);
  sink.int32(0);
  sink.int32(0);
  sink.int32(MAX_DIMS);
  for (let i = 0; i < MAX_DIMS; i += 1) sink.int32(dims[i] ?? 1);
}

/** STRUCT_DESC: the tags' descriptors, their names, the array descriptors of array and structure tags, then the nested structures' descriptors. */
function structDescriptor(sink: XdrSink, layout: StructLayout): void {
  sink.int32(STRUCTSTART);
  sink.string(layout.name);
  sink.int32(STRUCT_DEFINED);
  sink.int32(layout.tags.length);
  sink.int32(0);
  for (const tag of layout.tags) {
    sink.int32(tag.offset);
    sink.int32(tag.layout.kind === 'struct' ? STRUCT_TYPE_CODE : TYPE_CODE[tag.layout.type]);
    sink.int32(tag.layout.kind === 'scalar' ? 0 : tag.layout.kind === 'array' ? FLAG.array : FLAG.struct);
  }
  for (const tag of layout.tags) sink.string(tag.name);
  for (const tag of layout.tags) {
    if (tag.layout.kind === 'array') arrayDescriptor(sink, MEMORY_SIZE[tag.layout.type], tag.layout.dims);
    if (tag.layout.kind === 'struct') arrayDescriptor(sink, tag.layout.size, tag.layout.dims);
  }
  for (const tag of layout.tags) if (tag.layout.kind === 'struct') structDescriptor(sink, tag.layout);
}
