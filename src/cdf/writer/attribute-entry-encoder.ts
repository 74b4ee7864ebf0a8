import type { AttributeEntry, TypedAttributeEntry, VariableAttributeValue } from './cdf-schema.js';
import { CdfWriteError, type CdfWriteErrorDetails } from './cdf-write-error.js';
import { describe, encodeValues, valuesPerElement, type WritableValues } from './value-encoder.js';
import type { CdfDataType } from '../model/cdf-data-type.js';
import { writerDataType, type WriterDataType } from './writer-data-types.js';

/** An attribute entry encoded as it goes into an AEDR. */
export interface EncodedEntry {
  dataType: number;
  numElems: number;
  numStrings: number;
  value: Uint8Array;
}

const textEncoder = new TextEncoder();

/** Encodes a global attribute entry, inferring its type when none is given. */
export function encodeGlobalEntry(entry: AttributeEntry, where: CdfWriteErrorDetails): EncodedEntry {
  return encodeEntry(entry, undefined, where);
}

/**
 * Encodes a variable attribute entry. Numeric entries without an explicit type take the type
 * of a numeric variable, so FILLVAL, VALIDMIN and VALIDMAX match it as ISTP requires.
 */
export function encodeVariableEntry(
  entry: VariableAttributeValue,
  variableType: WriterDataType,
  where: CdfWriteErrorDetails,
): EncodedEntry {
  const own = variableType.kind === 'char' ? undefined : variableType;
  if (isPlainArray(entry)) return encodeTyped({ type: (own ?? inferArrayType(entry, where)).name, value: entry }, where);
  return encodeEntry(entry, own, where);
}

function encodeEntry(entry: AttributeEntry, numericType: WriterDataType | undefined, where: CdfWriteErrorDetails): EncodedEntry {
  if (typeof entry === 'string') return encodeTyped({ type: 'CHAR', value: entry }, where);
  if (isTypedEntry(entry)) return encodeTyped(entry, where);
  const type = numericType ?? inferType(entry, where);
  return encodeTyped({ type: type.name, value: entry }, where);
}

function encodeTyped(entry: TypedAttributeEntry, where: CdfWriteErrorDetails): EncodedEntry {
  const type = writerDataType(entry.type, where);
  if (type.kind === 'char') return encodeText(type, entry.value, where);
  const values = asValues(entry.value);
  const perElement = valuesPerElement(type);
  if (values.length === 0 || values.length % perElement !== 0) {
    throw new CdfWriteError(
      'wrong-shape',
      `${describe(where)}: a ${type.name} entry needs a positive multiple of ${perElement} value(s), got ${values.length}`,
      where,
    );
  }
  const value = encodeValues(type, 1, values, where);
  return { dataType: type.code, numElems: values.length / perElement, numStrings: 0, value: value.slice() };
}

function encodeText(type: WriterDataType, value: TypedAttributeEntry['value'], where: CdfWriteErrorDetails): EncodedEntry {
  if (typeof value !== 'string') {
    throw new CdfWriteError('wrong-value-type', `${describe(where)}: a ${type.name} entry needs a string value`, where);
  }
  // An empty string is stored as one NUL byte: an entry cannot have zero elements.
  const bytes = value.length === 0 ? new Uint8Array(1) : textEncoder.encode(value);
  return { dataType: type.code, numElems: bytes.length, numStrings: 1, value: bytes };
}

function asValues(value: TypedAttributeEntry['value']): WritableValues {
  if (typeof value === 'number') return [value];
  if (typeof value === 'bigint') return [value];
  if (typeof value === 'string') return [value];
  return value;
}

function isTypedEntry(entry: AttributeEntry): entry is TypedAttributeEntry {
  return typeof entry === 'object' && !ArrayBuffer.isView(entry) && 'type' in entry;
}

function isPlainArray(entry: VariableAttributeValue): entry is readonly number[] | readonly bigint[] {
  return Array.isArray(entry);
}

const TYPED_ARRAY_TYPES: ReadonlyArray<[abstract new (...args: never[]) => ArrayBufferView, CdfDataType]> = [
  [Int8Array, 'INT1'],
  [Int16Array, 'INT2'],
  [Int32Array, 'INT4'],
  [BigInt64Array, 'INT8'],
  [Uint8Array, 'UINT1'],
  [Uint16Array, 'UINT2'],
  [Uint32Array, 'UINT4'],
  [Float32Array, 'FLOAT'],
  [Float64Array, 'DOUBLE'],
];

function inferType(entry: number | bigint | ArrayBufferView, where: CdfWriteErrorDetails): WriterDataType {
  if (typeof entry === 'bigint') return writerDataType('INT8');
  if (typeof entry === 'number') return writerDataType(isInt32(entry) ? 'INT4' : 'DOUBLE');
  const match = TYPED_ARRAY_TYPES.find(([ctor]) => entry instanceof ctor);
  if (match) return writerDataType(match[1]);
  throw new CdfWriteError('wrong-value-type', `${describe(where)}: cannot store a ${entry.constructor.name} entry`, where);
}

function inferArrayType(values: readonly number[] | readonly bigint[], where: CdfWriteErrorDetails): WriterDataType {
  if (values.some((v) => typeof v === 'bigint')) return writerDataType('INT8');
  if (values.every((v) => typeof v === 'number' && isInt32(v))) return writerDataType('INT4');
  if (values.every((v) => typeof v === 'number')) return writerDataType('DOUBLE');
  throw new CdfWriteError('wrong-value-type', `${describe(where)}: an array entry must hold only numbers or bigints`, where);
}

function isInt32(n: number): boolean {
  return Number.isInteger(n) && n >= -2147483648 && n <= 2147483647;
}
