import { CdfWriteError, type CdfWriteErrorDetails } from './cdf-write-error.js';
import type { WriterDataType } from './writer-data-types.js';

/** Typed arrays of numbers the writer takes for numeric variables and attribute entries. */
export type NumericArray =
  | Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array | Float32Array | Float64Array;

/**
 * Values of a variable or an attribute entry, flat in row-major order (record, then dimensions,
 * last dimension fastest): numbers for the integer, float and EPOCH types, bigints (or safe
 * integers) for INT8 and TIME_TT2000, two numbers (seconds, picoseconds) per EPOCH16 value,
 * one string per CHAR/UCHAR value.
 */
export type WritableValues = NumericArray | BigInt64Array | readonly number[] | readonly bigint[] | readonly string[];

type IntegerArrayConstructor =
  | Int8ArrayConstructor | Int16ArrayConstructor | Int32ArrayConstructor
  | Uint8ArrayConstructor | Uint16ArrayConstructor | Uint32ArrayConstructor;

const textEncoder = new TextEncoder();

/** How many JavaScript values make one CDF element of this type (2 for EPOCH16). */
export function valuesPerElement(type: WriterDataType): number {
  return type.kind === 'epoch16' ? 2 : 1;
}

/** Bytes of one element of a variable or entry (NumElems characters for CHAR/UCHAR). */
export function elementBytes(type: WriterDataType, numElems: number): number {
  return type.kind === 'char' ? numElems : type.size;
}

/**
 * Encodes values as the little-endian (IBMPC) bytes of `type`. When `values` already is the
 * type's own typed array the result shares its memory (no copy); callers that keep the bytes
 * beyond the current call copy them.
 */
export function encodeValues(
  type: WriterDataType,
  numElems: number,
  values: ArrayLike<unknown>,
  where: CdfWriteErrorDetails,
): Uint8Array {
  switch (type.kind) {
    case 'integer':
      return encodeIntegers(type, values, where);
    case 'int64':
      return encodeInt64(type, values, where);
    case 'float':
    case 'epoch16':
      return encodeFloats(type, values, where);
    case 'char':
      return encodeStrings(type, numElems, values, where);
  }
}

function integerArrayFor(type: WriterDataType): IntegerArrayConstructor {
  const signed = (type.min ?? 0) < 0;
  if (type.size === 1) return signed ? Int8Array : Uint8Array;
  if (type.size === 2) return signed ? Int16Array : Uint16Array;
  return signed ? Int32Array : Uint32Array;
}

function bytesOf(view: ArrayBufferView): Uint8Array {
  return new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
}

function encodeIntegers(type: WriterDataType, values: ArrayLike<unknown>, where: CdfWriteErrorDetails): Uint8Array {
  const Target = integerArrayFor(type);
  if (values instanceof Target) return bytesOf(values);
  const out = new Target(values.length);
  const min = type.min ?? 0;
  const max = type.max ?? 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== 'number' || !Number.isInteger(v)) throw wrongType(type, v, i, 'an integer number', where);
    if (v < min || v > max) throw outOfRange(type, v, i, `${min}..${max}`, where);
    out[i] = v;
  }
  return bytesOf(out);
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

function encodeInt64(type: WriterDataType, values: ArrayLike<unknown>, where: CdfWriteErrorDetails): Uint8Array {
  if (values instanceof BigInt64Array) return bytesOf(values);
  const out = new BigInt64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v === 'number' && Number.isSafeInteger(v)) {
      out[i] = BigInt(v);
      continue;
    }
    if (typeof v !== 'bigint') throw wrongType(type, v, i, 'a bigint (or a safe integer number)', where);
    if (v < INT64_MIN || v > INT64_MAX) throw outOfRange(type, v, i, 'the signed 64-bit range', where);
    out[i] = v;
  }
  return bytesOf(out);
}

function encodeFloats(type: WriterDataType, values: ArrayLike<unknown>, where: CdfWriteErrorDetails): Uint8Array {
  const Target = type.size === 4 ? Float32Array : Float64Array;
  if (values instanceof Target) return bytesOf(values);
  const out = new Target(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== 'number') throw wrongType(type, v, i, 'a number', where);
    out[i] = v;
  }
  return bytesOf(out);
}

function encodeStrings(
  type: WriterDataType,
  numElems: number,
  values: ArrayLike<unknown>,
  where: CdfWriteErrorDetails,
): Uint8Array {
  // Shorter strings are NUL-padded: NUL ends a string for every CDF reader.
  const out = new Uint8Array(values.length * numElems);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== 'string') throw wrongType(type, v, i, 'a string', where);
    const { read } = textEncoder.encodeInto(v, out.subarray(i * numElems, (i + 1) * numElems));
    if (read < v.length) {
      const bytes = textEncoder.encode(v).length;
      throw new CdfWriteError(
        'char-too-long',
        `${describe(where)}: string ${JSON.stringify(clip(v))} at index ${i} is ${bytes} bytes, ` +
          `longer than the ${numElems} characters of this ${type.name}`,
        { ...where, index: i },
      );
    }
  }
  return out;
}

function clip(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}...` : text;
}

function show(v: unknown): string {
  if (typeof v === 'bigint') return `${v}n`;
  if (typeof v === 'string') return JSON.stringify(clip(v));
  return String(v);
}

/** "variable X" / "attribute Y of variable X" / "global attribute Y", for messages. */
export function describe(where: CdfWriteErrorDetails): string {
  if (where.attribute && where.variable) return `attribute ${where.attribute} of variable ${where.variable}`;
  if (where.attribute) return `global attribute ${where.attribute}`;
  return `variable ${where.variable ?? '?'}`;
}

function wrongType(type: WriterDataType, v: unknown, i: number, expected: string, where: CdfWriteErrorDetails): CdfWriteError {
  return new CdfWriteError(
    'wrong-value-type',
    `${describe(where)}: value ${show(v)} (${typeof v}) at index ${i} is not ${expected} as ${type.name} needs`,
    { ...where, index: i },
  );
}

function outOfRange(type: WriterDataType, v: number | bigint, i: number, range: string, where: CdfWriteErrorDetails): CdfWriteError {
  return new CdfWriteError(
    'value-out-of-range',
    `${describe(where)}: value ${show(v)} at index ${i} is outside ${range} of ${type.name}`,
    { ...where, index: i },
  );
}
