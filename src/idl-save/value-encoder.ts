import { IdlValueError } from './idl-save-error.js';
import type { IdlBasicType, IdlElement, IdlStructElement, IdlValue } from './idl-types.js';
import type { StructLayout, TypeLayout } from './value-layout.js';
import type { XdrSink } from './xdr-sink.js';

const INTEGER_RANGE: Partial<Record<IdlBasicType, [number, number]>> = {
  byte: [0, 255], int: [-32768, 32767], uint: [0, 65535], long: [-(2 ** 31), 2 ** 31 - 1], ulong: [0, 2 ** 32 - 1],
};
const BIGINT_RANGE: Partial<Record<IdlBasicType, [bigint, bigint]>> = {
  long64: [-(2n ** 63n), 2n ** 63n - 1n], ulong64: [0n, 2n ** 64n - 1n],
};

/** Writes the data of a value (after VARSTART) in the SAVE format's encoding. */
export function encodeValue(sink: XdrSink, value: IdlValue, layout: TypeLayout, path: string): void {
  if (value.kind === 'scalar') return encodeScalar(sink, value.type, value.value, path);
  if (value.kind === 'array') return encodeArray(sink, value.type, value.values, path);
  value.elements.forEach((element, i) => encodeStructElement(sink, element, layout as StructLayout, value.elements.length === 1 ? path : `${path}[${i}]`));
}

function encodeStructElement(sink: XdrSink, element: IdlStructElement, layout: StructLayout, path: string): void {
  const values = Object.values(element);
  layout.tags.forEach((tag, i) => encodeValue(sink, values[i]!, tag.layout, `${path}.${tag.name}`));
}

function encodeScalar(sink: XdrSink, type: IdlBasicType, value: IdlElement, path: string): void {
  // A byte scalar is written as a one-byte opaque: its length, then the byte padded to 4.
  if (type === 'byte') sink.int32(1);
  encodeElement(sink, type, value, path);
  sink.align4();
}

function encodeArray(sink: XdrSink, type: IdlBasicType, values: readonly IdlElement[], path: string): void {
  if (type === 'byte') {
    sink.int32(values.length);
    sink.bytes(Uint8Array.from(values, (v, i) => checkedInteger(type, v, `${path}[${i}]`)));
  } else {
    values.forEach((v, i) => encodeElement(sink, type, v, `${path}[${i}]`));
  }
  sink.align4();
}

function encodeElement(sink: XdrSink, type: IdlBasicType, value: IdlElement, path: string): void {
  switch (type) {
    case 'byte':
      sink.bytes(Uint8Array.of(checkedInteger(type, value, path)));
      return;
    case 'int':
    case 'long':
      // 16-bit integers take a full 32-bit XDR word, sign-extended.
      sink.int32(checkedInteger(type, value, path));
      return;
    case 'uint':
    case 'ulong':
      sink.uint32(checkedInteger(type, value, path));
      return;
    case 'float':
      sink.float32(checkedNumber(value, path));
      return;
    case 'double':
      sink.float64(checkedNumber(value, path));
      return;
    case 'complex':
    case 'dcomplex': {
      const c = checkedComplex(value, path);
      const write = type === 'complex' ? (v: number) => sink.float32(v) : (v: number) => sink.float64(v);
      write(c.re);
      write(c.im);
      return;
    }
    case 'long64':
      sink.int64(checkedBigInt(type, value, path));
      return;
    case 'ulong64':
      sink.uint64(checkedBigInt(type, value, path));
      return;
    case 'string':
      encodeStringData(sink, value, path);
      return;
  }
}

function encodeStringData(sink: XdrSink, value: IdlElement, path: string): void {
  if (typeof value !== 'string') throw new IdlValueError(`a string is needed, got ${describe(value)}`, path);
  const data = Buffer.from(value, 'utf8');
  sink.int32(data.length);
  if (data.length === 0) return;
  sink.int32(data.length);
  sink.bytes(data);
  sink.align4();
}

function checkedInteger(type: IdlBasicType, value: IdlElement, path: string): number {
  const [low, high] = INTEGER_RANGE[type]!;
  const n = typeof value === 'bigint' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < low || n > high) throw new IdlValueError(`a ${type} is an integer from ${low} to ${high}, got ${describe(value)}`, path);
  return n;
}

function checkedBigInt(type: IdlBasicType, value: IdlElement, path: string): bigint {
  const [low, high] = BIGINT_RANGE[type]!;
  const n = typeof value === 'number' && Number.isSafeInteger(value) ? BigInt(value) : value;
  if (typeof n !== 'bigint' || n < low || n > high) throw new IdlValueError(`a ${type} is an integer from ${low} to ${high} (a bigint, or a safe integer number), got ${describe(value)}`, path);
  return n;
}

function checkedNumber(value: IdlElement, path: string): number {
  if (typeof value !== 'number') throw new IdlValueError(`a number is needed, got ${describe(value)}`, path);
  return value;
}

function checkedComplex(value: IdlElement, path: string): { re: number; im: number } {
  if (typeof value !== 'object' || typeof value.re !== 'number' || typeof value.im !== 'number') throw new IdlValueError(`a complex { re, im } is needed, got ${describe(value)}`, path);
  return value;
}

function describe(value: IdlElement): string {
  return typeof value === 'string' ? `the string '${value.slice(0, 40)}'` : typeof value === 'object' ? JSON.stringify(value) : `${typeof value} ${String(value)}`;
}
