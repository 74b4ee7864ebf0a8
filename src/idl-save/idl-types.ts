/**
 * The IDL values a SAVE file holds, with their IDL types kept (a ULONG stays a ULONG through a
 * write and a read). Arrays and structures carry IDL's dimensions, first dimension fastest.
 */

/** IDL's basic types by their IDL names (`int` is 16-bit, `long` 32-bit, as in IDL). */
export type IdlBasicType = 'byte' | 'int' | 'long' | 'float' | 'double' | 'complex' | 'string' | 'dcomplex' | 'uint' | 'ulong' | 'long64' | 'ulong64';

export interface IdlComplex {
  re: number;
  im: number;
}

/** One element: a number (byte to double), a bigint (long64, ulong64), a string or a complex. */
export type IdlElement = number | bigint | string | IdlComplex;

export interface IdlScalar {
  kind: 'scalar';
  type: IdlBasicType;
  value: IdlElement;
}

export interface IdlArray {
  kind: 'array';
  type: IdlBasicType;
  /** IDL dimensions (1 to 8), first fastest; their product is `values.length` (IDL has no empty arrays). */
  dims: number[];
  values: IdlElement[];
}

/** One element of a structure: its tags in order, names upper case as IDL keeps them. */
export type IdlStructElement = { [tag: string]: IdlValue };

/** A structure variable is an array of structures of one layout (a scalar structure has dims [1]). */
export interface IdlStruct {
  kind: 'struct';
  /** The structure name; '' for an anonymous structure. */
  name: string;
  dims: number[];
  elements: IdlStructElement[];
}

export type IdlValue = IdlScalar | IdlArray | IdlStruct;

/** IDL type codes of the SAVE format. */
export const TYPE_CODE: Record<IdlBasicType, number> = {
  byte: 1, int: 2, long: 3, float: 4, double: 5, complex: 6, string: 7, dcomplex: 9, uint: 12, ulong: 13, long64: 14, ulong64: 15,
};
export const STRUCT_TYPE_CODE = 8;

export const TYPE_OF_CODE: ReadonlyMap<number, IdlBasicType> = new Map(Object.entries(TYPE_CODE).map(([name, code]) => [code, name as IdlBasicType]));

/** Bytes of one element in IDL's memory (a string is an IDL_STRING descriptor), as the descriptors record them. */
export const MEMORY_SIZE: Record<IdlBasicType, number> = {
  byte: 1, int: 2, long: 4, float: 4, double: 8, complex: 8, string: 16, dcomplex: 16, uint: 2, ulong: 4, long64: 8, ulong64: 8,
};

/** Alignment of each type inside a structure (C layout of a 64-bit IDL). */
export const MEMORY_ALIGN: Record<IdlBasicType, number> = {
  byte: 1, int: 2, long: 4, float: 4, double: 8, complex: 4, string: 8, dcomplex: 8, uint: 2, ulong: 4, long64: 8, ulong64: 8,
};

/** Most dimensions an IDL array has. */
export const MAX_DIMS = 8;
