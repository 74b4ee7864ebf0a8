import { IdlValueError } from './idl-save-error.js';
import { MAX_DIMS, MEMORY_ALIGN, MEMORY_SIZE, type IdlBasicType, type IdlValue } from './idl-types.js';

/** The type of a value as the SAVE descriptors record it (a structure's layout computed as IDL lays it out in memory). */
export type TypeLayout =
  | { kind: 'scalar'; type: IdlBasicType }
  | { kind: 'array'; type: IdlBasicType; dims: number[] }
  | StructLayout;

export interface StructLayout {
  kind: 'struct';
  name: string;
  dims: number[];
  tags: TagLayout[];
  /** Bytes of one structure in memory, padded to its alignment. */
  size: number;
  align: number;
}

export interface TagLayout {
  name: string;
  layout: TypeLayout;
  offset: number;
}

const TAG_NAME = /^[A-Z_][A-Z0-9_$]*$/;

/** The layout of a value; a structure's elements must all share the first one's layout. */
export function layoutOf(value: IdlValue, path: string): TypeLayout {
  if (value.kind === 'scalar') return { kind: 'scalar', type: value.type };
  checkDims(value.dims, value.kind === 'array' ? value.values.length : value.elements.length, path);
  if (value.kind === 'array') return { kind: 'array', type: value.type, dims: [...value.dims] };
  const first = value.elements[0]!;
  const tags: TagLayout[] = [];
  let offset = 0;
  let align = 1;
  for (const [rawName, tagValue] of Object.entries(first)) {
    const name = rawName.toUpperCase();
    if (!TAG_NAME.test(name)) throw new IdlValueError(`'${rawName}' is not an IDL tag name`, path);
    if (tags.some((t) => t.name === name)) throw new IdlValueError(`tag ${name} appears twice`, path);
    const layout = layoutOf(tagValue, `${path}.${name}`);
    const [size, tagAlign] = memoryOf(layout);
    offset = roundUp(offset, tagAlign);
    tags.push({ name, layout, offset });
    offset += size;
    align = Math.max(align, tagAlign);
  }
  if (tags.length === 0) throw new IdlValueError('a structure needs at least one tag', path);
  const struct: StructLayout = { kind: 'struct', name: value.name.toUpperCase(), dims: [...value.dims], tags, size: roundUp(offset, align), align };
  const signature = tagsSignature(struct);
  value.elements.forEach((element, i) => {
    if (i === 0) return;
    const other = layoutOf({ kind: 'struct', name: value.name, dims: [1], elements: [element] }, `${path}[${i}]`) as StructLayout;
    if (tagsSignature(other) !== signature) throw new IdlValueError(`element ${i} has other tags, types or dimensions than element 0 (a structure array has one layout)`, path);
  });
  return struct;
}

/** Bytes and alignment of a value of this layout inside a structure. */
export function memoryOf(layout: TypeLayout): [number, number] {
  if (layout.kind === 'scalar') return [MEMORY_SIZE[layout.type], MEMORY_ALIGN[layout.type]];
  if (layout.kind === 'array') return [MEMORY_SIZE[layout.type] * count(layout.dims), MEMORY_ALIGN[layout.type]];
  return [layout.size * count(layout.dims), layout.align];
}

export function count(dims: readonly number[]): number {
  return dims.reduce((a, b) => a * b, 1);
}

function checkDims(dims: readonly number[], length: number, path: string): void {
  if (dims.length < 1 || dims.length > MAX_DIMS) throw new IdlValueError(`an IDL array has 1 to ${MAX_DIMS} dimensions, not ${dims.length}`, path);
  if (dims.some((d) => !Number.isSafeInteger(d) || d < 1)) throw new IdlValueError(`dimensions must be positive integers (IDL has no empty arrays), got [${dims.join(', ')}]`, path);
  if (count(dims) !== length) throw new IdlValueError(`dimensions [${dims.join(', ')}] hold ${count(dims)} elements, the value has ${length}`, path);
}

function signatureOf(layout: TypeLayout): string {
  if (layout.kind === 'scalar') return layout.type;
  if (layout.kind === 'array') return `${layout.type}[${layout.dims.join(',')}]`;
  return `${tagsSignature(layout)}[${layout.dims.join(',')}]`;
}

function tagsSignature(layout: StructLayout): string {
  return `{${layout.name}:${layout.tags.map((t) => `${t.name}=${signatureOf(t.layout)}`).join(';')}}`;
}

function roundUp(n: number, to: number): number {
  return Math.ceil(n / to) * to;
}
