import { expandCompressedSave } from './compressed-save.js';
import { IdlSaveFormatError } from './idl-save-error.js';
import { MAX_DIMS, STRUCT_TYPE_CODE, TYPE_OF_CODE, type IdlBasicType, type IdlElement, type IdlStructElement, type IdlValue } from './idl-types.js';
import { XdrCursor } from './xdr-cursor.js';

export interface IdlSaveFile {
  /** The variables by name (upper case, as IDL saves them), in file order. */
  variables: Map<string, IdlValue>;
  compressed: boolean;
  timestamp?: { date: string; user: string; host: string };
  version?: { format: number; arch: string; os: string; release: string };
  description?: string;
}

export interface IdlSaveReadOptions {
  /** Largest uncompressed image accepted (default 256 MiB). */
  maxBytes?: number;
}

const RECORD_NAMES: Record<number, string> = {
  0: 'START_MARKER', 1: 'COMMON_VARIABLE', 2: 'VARIABLE', 3: 'SYSTEM_VARIABLE', 6: 'END_MARKER', 10: 'TIMESTAMP', 12: 'COMPILED',
  13: 'IDENTIFICATION', 14: 'VERSION', 15: 'HEAP_HEADER', 16: 'HEAP_DATA', 17: 'PROMOTE64', 19: 'NOTICE', 20: 'DESCRIPTION',
};
const HEADER = 16;
const FLAG = { system: 0x02, array: 0x04, struct: 0x20 } as const;
const VARSTART = 7;

interface ArrayDesc {
  n: number;
  dims: number[];
}

interface TagDesc {
  name: string;
  typecode: number;
  array?: ArrayDesc;
  struct?: StructDesc;
}

interface StructDesc {
  name: string;
  tags: TagDesc[];
}

/**
 * Reads an IDL SAVE file, uncompressed or written with /COMPRESS: its variables (scalars, arrays
 * and structures of the basic types, nested), the timestamp, version and description records.
 * Records of other kinds (compiled routines, common blocks, system variables, heap) are skipped;
 * a variable holding a pointer or an object is refused as unsupported. Anything truncated or
 * inconsistent is an IdlSaveFormatError saying what and where.
 */
export function readIdlSave(data: Uint8Array, options: IdlSaveReadOptions = {}): IdlSaveFile {
  const maxBytes = options.maxBytes ?? 256 * 1024 ** 2;
  if (data.length < 4 || data[0] !== 0x53 || data[1] !== 0x52) throw new IdlSaveFormatError('not-idl-save', "no IDL SAVE signature ('SR') at the start", 0);
  if (data.length > maxBytes) throw new IdlSaveFormatError('too-large', `the file (${data.length} bytes) is larger than the limit (${maxBytes})`, 0);
  const format = (data[2]! << 8) | data[3]!;
  if (format !== 4 && format !== 6) throw new IdlSaveFormatError('unsupported', `record format ${format} (4 = plain, 6 = compressed) is not a known SAVE format`, 2);
  const compressed = format === 6;
  const image = compressed ? expandCompressedSave(data, maxBytes) : data;
  return { ...new SaveParser(image).parse(), compressed };
}

class SaveParser {
  private readonly view: DataView;
  private readonly structs = new Map<string, StructDesc>();
  private readonly file: Omit<IdlSaveFile, 'compressed'> = { variables: new Map() };

  constructor(private readonly data: Uint8Array) {
    this.view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  }

  parse(): Omit<IdlSaveFile, 'compressed'> {
    let pos = 4;
    for (;;) {
      if (pos + HEADER > this.data.length) throw new IdlSaveFormatError('truncated', `the file ends (${this.data.length} bytes) before its END_MARKER record`, pos);
      const type = this.view.getInt32(pos);
      const name = RECORD_NAMES[type];
      if (!name) throw new IdlSaveFormatError('bad-record', `unknown record type ${type}`, pos);
      if (type === 6) return this.file;
      const next = this.view.getUint32(pos + 4) + this.view.getUint32(pos + 8) * 2 ** 32;
      if (next > this.data.length) throw new IdlSaveFormatError('truncated', `the record runs to offset ${next}, past the end of the file (${this.data.length} bytes)`, pos, name);
      if (next <= pos + HEADER) throw new IdlSaveFormatError('bad-record', `the record's link (${next}) does not point past its header`, pos, name);
      this.record(type, new XdrCursor(this.data, pos + HEADER, next, name));
      pos = next;
    }
  }

  private record(type: number, c: XdrCursor): void {
    if (type === 2) return this.variable(c);
    if (type === 10) {
      c.skip(256 * 4);
      this.file.timestamp = { date: c.string('date'), user: c.string('user'), host: c.string('host') };
    } else if (type === 14) {
      this.file.version = { format: c.int32(), arch: c.string('arch'), os: c.string('os'), release: c.string('release') };
    } else if (type === 20) {
      this.file.description = c.stringData();
    }
  }

  private variable(c: XdrCursor): void {
    const name = c.string('variable name');
    const typecode = c.int32();
    const flags = c.int32();
    if (typecode === 0) return; // an undefined variable: nothing to restore
    if (flags & FLAG.system) throw c.error('unsupported', `variable ${name} is a system variable`);
    const isStruct = typecode === STRUCT_TYPE_CODE || (flags & FLAG.struct) !== 0;
    const array = isStruct || flags & FLAG.array ? this.arrayDesc(c) : undefined;
    const struct = isStruct ? this.structDesc(c) : undefined;
    if (c.int32() !== VARSTART) throw c.error('bad-descriptor', `variable ${name}: VARSTART (7) missing before the data`);
    this.file.variables.set(name, this.value(c, { name, typecode, ...(array ? { array } : {}), ...(struct ? { struct } : {}) }, name));
  }

  private value(c: XdrCursor, desc: TagDesc, path: string): IdlValue {
    if (desc.struct) return this.structValue(c, desc.struct, desc.array ?? { n: 1, dims: [1] }, path);
    const type = basicType(c, desc.typecode, path);
    if (!desc.array) return { kind: 'scalar', type, value: scalar(c, type, path) };
    return { kind: 'array', type, dims: desc.array.dims, values: arrayValues(c, type, desc.array.n, path) };
  }

  private structValue(c: XdrCursor, struct: StructDesc, array: ArrayDesc, path: string): IdlValue {
    // Each element takes at least 4 bytes per tag: a count beyond that is corrupt, not a reason to allocate.
    if (array.n * struct.tags.length * 4 > c.remaining) throw c.error('truncated', `${path}: ${array.n} structures of ${struct.tags.length} tags do not fit in the ${c.remaining} bytes left`);
    const elements: IdlStructElement[] = [];
    for (let i = 0; i < array.n; i += 1) {
      const element: IdlStructElement = {};
      for (const tag of struct.tags) element[tag.name] = this.value(c, tag, `${path}.${tag.name}`);
      elements.push(element);
    }
    return { kind: 'struct', name: struct.name, dims: array.dims, elements };
  }

  private arrayDesc(c: XdrCursor): ArrayDesc {
    const start = c.int32();
    let n: number;
    let ndims: number;
    let dims: number[];
    if (start === 8) {
      c.skip(4);
      c.skip(4); // NBYTES: the memory size, not needed to read
      n = c.int32();
      ndims = c.int32();
      c.skip(8);
      const nmax = c.int32();
      if (nmax < 0 || nmax > MAX_DIMS) throw c.error('bad-descriptor', `NMAX ${nmax} is not 0 to ${MAX_DIMS}`);
      dims = Array.from({ length: nmax }, () => c.int32());
    } else if (start === 18) {
      c.skip(8);
      c.skip(8);
      n = safe(c, c.uint64(), 'NELEMENTS');
      ndims = c.int32();
      c.skip(8);
      dims = Array.from({ length: MAX_DIMS }, () => safe(c, c.uint64(), 'a dimension'));
    } else {
      throw c.error('bad-descriptor', `ARRSTART ${start} is neither 8 nor 18`);
    }
    if (ndims < 1 || ndims > dims.length) throw c.error('bad-descriptor', `NDIMS ${ndims} is not 1 to ${dims.length}`);
    dims = dims.slice(0, ndims);
    if (n < 1 || dims.some((d) => d < 1) || dims.reduce((a, b) => a * b, 1) !== n) throw c.error('bad-descriptor', `dimensions [${dims.join(', ')}] do not hold NELEMENTS ${n}`);
    return { n, dims };
  }

  private structDesc(c: XdrCursor): StructDesc {
    if (c.int32() !== 9) throw c.error('bad-descriptor', 'STRUCTSTART (9) missing');
    const name = c.string('structure name');
    const predef = c.int32();
    const ntags = c.int32();
    c.skip(4);
    if (predef & 1) {
      const known = this.structs.get(name);
      if (!known) throw c.error('bad-descriptor', `structure ${name} refers to a definition not given earlier in the file`);
      return known;
    }
    if (ntags < 1 || ntags * 12 > c.remaining) throw c.error('bad-descriptor', `NTAGS ${ntags} does not fit the record`);
    const raw = Array.from({ length: ntags }, () => {
      if (c.int32() === -1) c.skip(8); // a 64-bit offset
      const typecode = c.int32();
      const flags = c.int32();
      const isStruct = typecode === STRUCT_TYPE_CODE || (flags & FLAG.struct) !== 0;
      return { typecode, isArray: isStruct || (flags & FLAG.array) !== 0, isStruct };
    });
    const names = raw.map(() => c.string('tag name'));
    const arrays = raw.map((t) => (t.isArray ? this.arrayDesc(c) : undefined));
    const structs = raw.map((t) => (t.isStruct ? this.structDesc(c) : undefined));
    const tags = raw.map((t, i): TagDesc => ({ name: names[i]!, typecode: t.typecode, ...(arrays[i] ? { array: arrays[i] } : {}), ...(structs[i] ? { struct: structs[i] } : {}) }));
    if (predef & 6) {
      // A class (inherits or is a superclass): its class name and superclasses follow.
      c.string('class name');
      const n = c.int32();
      for (let i = 0; i < n; i += 1) c.string('superclass name');
      for (let i = 0; i < n; i += 1) this.structDesc(c);
    }
    const desc = { name, tags };
    if (name) this.structs.set(name, desc);
    return desc;
  }
}

function basicType(c: XdrCursor, typecode: number, path: string): IdlBasicType {
  const type = TYPE_OF_CODE.get(typecode);
  if (type) return type;
  if (typecode === 10 || typecode === 11) throw c.error('unsupported', `${path} holds ${typecode === 10 ? 'a pointer' : 'an object reference'}, which this reader does not decode`);
  throw c.error('bad-descriptor', `${path} has unknown type code ${typecode}`);
}

function scalar(c: XdrCursor, type: IdlBasicType, path: string): IdlElement {
  if (type === 'byte') {
    const length = c.int32();
    if (length !== 1) throw c.error('bad-value', `${path}: a byte scalar has length ${length}, not 1`);
    const value = c.bytes(1)[0]!;
    c.align4();
    return value;
  }
  return element(c, type);
}

function element(c: XdrCursor, type: Exclude<IdlBasicType, 'byte'>): IdlElement {
  switch (type) {
    case 'int':
      return (c.int32() << 16) >> 16;
    case 'uint':
      return c.uint32() & 0xffff;
    case 'long':
      return c.int32();
    case 'ulong':
      return c.uint32();
    case 'float':
      return c.float32();
    case 'double':
      return c.float64();
    case 'complex':
      return { re: c.float32(), im: c.float32() };
    case 'dcomplex':
      return { re: c.float64(), im: c.float64() };
    case 'long64':
      return c.int64();
    case 'ulong64':
      return c.uint64();
    case 'string':
      return c.stringData();
  }
}

/** Fewest bytes one element of each type takes in the file (to refuse impossible counts before allocating). */
const MIN_BYTES: Record<IdlBasicType, number> = { byte: 0, int: 4, long: 4, float: 4, double: 8, complex: 8, string: 4, dcomplex: 16, uint: 4, ulong: 4, long64: 8, ulong64: 8 };

function arrayValues(c: XdrCursor, type: IdlBasicType, n: number, path: string): IdlElement[] {
  if (n * MIN_BYTES[type] > c.remaining) throw c.error('truncated', `${path}: ${n} ${type} values do not fit in the ${c.remaining} bytes left`);
  let values: IdlElement[];
  if (type === 'byte') {
    c.skip(4); // the byte count (IDL 8.0 writes 0 there in structures)
    values = Array.from(c.bytes(n));
  } else {
    values = Array.from({ length: n }, () => element(c, type));
  }
  c.align4();
  return values;
}

function safe(c: XdrCursor, n: bigint, what: string): number {
  if (n > BigInt(Number.MAX_SAFE_INTEGER)) throw c.error('too-large', `${what} (${n}) is too large`);
  return Number(n);
}
