import type { AttributeEntry, CdfSchema, GlobalAttributeValue, VariableDefinition } from './cdf-schema.js';
import { CdfWriteError, type CdfWriteErrorDetails } from './cdf-write-error.js';
import { encodeGlobalEntry, encodeVariableEntry, type EncodedEntry } from './attribute-entry-encoder.js';
import { checkName } from './name-rules.js';
import { elementBytes, encodeValues, valuesPerElement } from './value-encoder.js';
import { writerDataType, type WriterDataType } from './writer-data-types.js';
import { defaultPadBytes } from '../values/default-pad.js';

/** A variable checked and ready to be written. */
export interface PlannedVariable {
  name: string;
  num: number;
  type: WriterDataType;
  dims: readonly number[];
  numElems: number;
  recordVarying: boolean;
  /** zlib level when GZIP-compressed. */
  gzipLevel: number | undefined;
  blockingFactor: number;
  pad: Uint8Array;
  /** Bytes of one element: the type size, or NumElems for strings. */
  elementBytes: number;
  /** Elements in one record (product of dims). */
  elementsPerRecord: number;
  /** JavaScript values in one record (elements, times 2 for EPOCH16). */
  valuesPerRecord: number;
  recordBytes: number;
}

/** An attribute entry with its entry number (global) or variable number (variable scope). */
export interface PlannedEntry extends EncodedEntry {
  num: number;
}

/** An attribute checked and encoded, with its entries in entry-number order. */
export interface PlannedAttribute {
  name: string;
  num: number;
  global: boolean;
  entries: readonly PlannedEntry[];
}

/** The checked schema: what goes into the header records. */
export interface CdfPlan {
  variables: readonly PlannedVariable[];
  attributes: readonly PlannedAttribute[];
}

const MAX_DIMS = 10;
const MAX_INT32 = 2 ** 31 - 1;
const UNCOMPRESSED_BLOCK_BYTES = 1 << 20;
const COMPRESSED_BLOCK_BYTES = 1 << 18;

/** Checks a schema and encodes its attributes and pad values; every problem is a CdfWriteError. */
export function planSchema(schema: CdfSchema, file: string): CdfPlan {
  if (!schema || !Array.isArray(schema.variables)) {
    throw new CdfWriteError('invalid-definition', 'the schema needs a "variables" array', { file });
  }
  const variables = schema.variables.map((definition, num) => planVariable(definition, num, file));
  rejectDuplicates(variables.map((v) => v.name), 'variable', file);
  const attributes = [
    ...planGlobalAttributes(schema.globalAttributes ?? {}, file),
    ...planVariableAttributes(schema.variables, variables, file),
  ].map((attribute, num) => ({ ...attribute, num }));
  rejectDuplicates(attributes.map((a) => a.name), 'attribute', file);
  return { variables, attributes };
}

function planVariable(definition: VariableDefinition, num: number, file: string): PlannedVariable {
  const name = checkName(definition?.name, 'variable', { file });
  const where = { file, variable: name };
  const type = writerDataType(definition.type, where);
  const dims = checkDims(definition.dims ?? [], where);
  const numElems = checkNumElems(type, definition.numElems, where);
  const bytesPerElement = elementBytes(type, numElems);
  const elementsPerRecord = dims.reduce((a, b) => a * b, 1);
  const recordBytes = bytesPerElement * elementsPerRecord;
  if (recordBytes > MAX_INT32) {
    throw new CdfWriteError('invalid-definition', `variable ${name}: a record of ${recordBytes} bytes is too large`, where);
  }
  const gzipLevel = checkCompression(definition, where);
  return {
    name,
    num,
    type,
    dims,
    numElems,
    recordVarying: definition.recordVarying ?? true,
    gzipLevel,
    blockingFactor: checkBlockingFactor(definition.blockingFactor, recordBytes, gzipLevel !== undefined, where),
    pad: encodePad(type, numElems, definition.padValue, where),
    elementBytes: bytesPerElement,
    elementsPerRecord,
    valuesPerRecord: elementsPerRecord * valuesPerElement(type),
    recordBytes,
  };
}

function checkDims(dims: readonly number[], where: CdfWriteErrorDetails): readonly number[] {
  if (!Array.isArray(dims) || dims.length > MAX_DIMS) {
    throw new CdfWriteError('invalid-definition', `variable ${where.variable}: dims must be an array of at most ${MAX_DIMS} sizes`, where);
  }
  for (const size of dims) {
    if (!Number.isInteger(size) || size < 1 || size > MAX_INT32) {
      throw new CdfWriteError('invalid-definition', `variable ${where.variable}: dimension size ${size} is not a positive integer`, where);
    }
  }
  return [...dims];
}

function checkNumElems(type: WriterDataType, numElems: number | undefined, where: CdfWriteErrorDetails): number {
  if (type.kind !== 'char') {
    if (numElems === undefined || numElems === 1) return 1;
    throw new CdfWriteError('invalid-definition', `variable ${where.variable}: numElems is 1 for ${type.name}, got ${numElems}`, where);
  }
  if (numElems !== undefined && Number.isInteger(numElems) && numElems >= 1 && numElems <= MAX_INT32) return numElems;
  throw new CdfWriteError(
    'invalid-definition',
    `variable ${where.variable}: ${type.name} needs numElems, the number of characters per value (a positive integer)`,
    where,
  );
}

function checkCompression(definition: VariableDefinition, where: CdfWriteErrorDetails): number | undefined {
  const compression = definition.compression;
  if (compression === undefined) return undefined;
  const level = compression.level ?? 6;
  if (compression.type !== 'gzip' || !Number.isInteger(level) || level < 1 || level > 9) {
    throw new CdfWriteError(
      'invalid-definition',
      `variable ${where.variable}: compression must be { type: 'gzip', level: 1..9 }`,
      where,
    );
  }
  return level;
}

function checkBlockingFactor(given: number | undefined, recordBytes: number, compressed: boolean, where: CdfWriteErrorDetails): number {
  if (given === undefined) {
    const target = compressed ? COMPRESSED_BLOCK_BYTES : UNCOMPRESSED_BLOCK_BYTES;
    return Math.max(1, Math.floor(target / recordBytes));
  }
  if (Number.isInteger(given) && given >= 1 && given <= MAX_INT32) return given;
  throw new CdfWriteError('invalid-definition', `variable ${where.variable}: blockingFactor must be a positive integer, got ${given}`, where);
}

function encodePad(
  type: WriterDataType,
  numElems: number,
  given: VariableDefinition['padValue'],
  where: CdfWriteErrorDetails,
): Uint8Array {
  if (given === undefined) return defaultPadBytes(type.name, numElems, true);
  const values: ArrayLike<unknown> = Array.isArray(given) ? given : [given];
  if (values.length !== valuesPerElement(type)) {
    throw new CdfWriteError('wrong-shape', `variable ${where.variable}: the pad value of ${type.name} needs ${valuesPerElement(type)} value(s)`, where);
  }
  return encodeValues(type, numElems, values, where).slice();
}

function planGlobalAttributes(attributes: Readonly<Record<string, GlobalAttributeValue>>, file: string) {
  return Object.entries(attributes).map(([rawName, value]) => {
    const name = checkName(rawName, 'attribute', { file });
    const entries = entriesOf(value).map((entry, num) => ({
      ...encodeGlobalEntry(entry, { file, attribute: name, index: num }),
      num,
    }));
    return { name, global: true, entries };
  });
}

function entriesOf(value: GlobalAttributeValue): readonly AttributeEntry[] {
  return isEntryList(value) ? value : [value];
}

function isEntryList(value: GlobalAttributeValue): value is readonly AttributeEntry[] {
  return Array.isArray(value);
}

function planVariableAttributes(definitions: readonly VariableDefinition[], variables: readonly PlannedVariable[], file: string) {
  const byName = new Map<string, { name: string; global: false; entries: PlannedEntry[] }>();
  definitions.forEach((definition, num) => {
    const variable = variables[num]!;
    for (const [rawName, value] of Object.entries(definition.attributes ?? {})) {
      const where = { file, variable: variable.name, attribute: rawName };
      const name = checkName(rawName, 'attribute', where);
      const attribute = byName.get(name) ?? { name, global: false as const, entries: [] };
      attribute.entries.push({ ...encodeVariableEntry(value, variable.type, where), num });
      byName.set(name, attribute);
    }
  });
  return [...byName.values()];
}

function rejectDuplicates(names: readonly string[], what: 'variable' | 'attribute', file: string): void {
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) {
      const hint = what === 'attribute' ? ' (an attribute is either global or variable-scoped, not both)' : '';
      throw new CdfWriteError('duplicate-name', `${what} name "${name}" is used twice${hint}`, { file, [what]: name });
    }
    seen.add(name);
  }
}
