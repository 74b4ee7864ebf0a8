import type { IdlArray, IdlBasicType, IdlElement, IdlScalar, IdlStruct, IdlStructElement, IdlValue } from './idl-types.js';

const scalar = (type: IdlBasicType) => (value: IdlElement): IdlScalar => ({ kind: 'scalar', type, value });
const array = (type: IdlBasicType) => (values: readonly IdlElement[], dims: readonly number[] = [values.length]): IdlArray => ({ kind: 'array', type, dims: [...dims], values: [...values] });

/**
 * Builders of typed IDL values, named after IDL's own type functions:
 * `idl.long(1)`, `idl.ulongArray([1, 2])`, `idl.struct({ VALID: idl.long(1) })`.
 */
export const idl = {
  byte: scalar('byte'), int: scalar('int'), long: scalar('long'), float: scalar('float'), double: scalar('double'),
  complex: scalar('complex'), dcomplex: scalar('dcomplex'), string: scalar('string'),
  uint: scalar('uint'), ulong: scalar('ulong'), long64: scalar('long64'), ulong64: scalar('ulong64'),
  byteArray: array('byte'), intArray: array('int'), longArray: array('long'), floatArray: array('float'), doubleArray: array('double'),
  complexArray: array('complex'), dcomplexArray: array('dcomplex'), stringArray: array('string'),
  uintArray: array('uint'), ulongArray: array('ulong'), long64Array: array('long64'), ulong64Array: array('ulong64'),
  /** A scalar structure (saved, like IDL does, as a one-element structure array). */
  struct: (tags: IdlStructElement, name = ''): IdlStruct => ({ kind: 'struct', name, dims: [1], elements: [tags] }),
  /** An array of structures of one layout (IDL's `replicate`). */
  structArray: (elements: readonly IdlStructElement[], name = '', dims: readonly number[] = [elements.length]): IdlStruct => ({ kind: 'struct', name, dims: [...dims], elements: [...elements] }),
};

/** A value as plain data: an element, an array of elements (flat, first dimension fastest), an object, or an array of objects. */
export type PlainIdlValue = IdlElement | IdlElement[] | { [tag: string]: PlainIdlValue } | { [tag: string]: PlainIdlValue }[];

/** The value without its IDL types: a one-element structure becomes an object, a larger one an array of objects. */
export function plainValue(value: IdlValue): PlainIdlValue {
  if (value.kind === 'scalar') return value.value;
  if (value.kind === 'array') return value.values;
  const objects = value.elements.map((e) => Object.fromEntries(Object.entries(e).map(([tag, v]) => [tag, plainValue(v)])) as { [tag: string]: PlainIdlValue });
  return value.elements.length === 1 && value.dims.length === 1 ? objects[0]! : objects;
}
