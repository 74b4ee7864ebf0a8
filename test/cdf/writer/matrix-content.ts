/**
 * The content of the writer's test matrix: one variable per (type, 0-4 dimensions, compressed or
 * not), NRV variables, a many-block variable per compression (multi-level VXR tree) and global
 * attributes with several entries of mixed types. Values are deterministic and cover each type's
 * extremes.
 */
import type { CdfDataType } from '../../../src/cdf/index.js';
import type { GlobalAttributeValue, VariableWithValues } from '../../../src/cdf/writer/index.js';

export const MATRIX_TYPES: readonly CdfDataType[] = [
  'INT1', 'INT2', 'INT4', 'INT8', 'UINT1', 'UINT2', 'UINT4', 'REAL4', 'REAL8', 'FLOAT', 'DOUBLE',
  'EPOCH', 'EPOCH16', 'TIME_TT2000', 'BYTE', 'CHAR', 'UCHAR',
];

/** Record shapes for 0 to 4 dimensions. */
export const MATRIX_DIMS: readonly (readonly number[])[] = [[], [3], [2, 3], [2, 3, 2], [2, 2, 3, 2]];

export const MATRIX_RECORDS = 3;
export const STRING_LENGTH = 5;
/** Records of the many-block variables: with one record per block, a VXR tree of three levels. */
export const MANY_RECORDS = 60;

const INTEGER_RANGES: Partial<Record<CdfDataType, [number, number]>> = {
  INT1: [-128, 127], BYTE: [-128, 127], INT2: [-32768, 32767], INT4: [-2147483648, 2147483647],
  UINT1: [0, 255], UINT2: [0, 65535], UINT4: [0, 4294967295],
};

const TT2000_2015 = 488980868184000000n;
const TT2000_LEAP = 536500868684000000n;
const EPOCH_2000 = 63113904000000;
const STRINGS = ['a', 'hello', '', 'xyz', 'CDF', 'ab cd'];

/** `count` values of `type` (pairs for EPOCH16), the first ones at the type's extremes. */
export function sampleValues(type: CdfDataType, count: number): Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array | Float32Array | Float64Array | BigInt64Array | string[] | number[] {
  const range = INTEGER_RANGES[type];
  if (range) {
    const [min, max] = range;
    return Array.from({ length: count }, (_, i) => (i === 0 ? min : i === 1 ? max : min + ((i * 7919) % (max - min))));
  }
  switch (type) {
    case 'INT8':
      return BigInt64Array.from({ length: count }, (_, i) => (i === 0 ? -(2n ** 63n) : i === 1 ? 2n ** 63n - 1n : BigInt(i) * -1234567890123n));
    case 'TIME_TT2000':
      return BigInt64Array.from({ length: count }, (_, i) => (i === 1 ? TT2000_LEAP : TT2000_2015 + BigInt(i) * 1_000_000_007n));
    case 'REAL4':
    case 'FLOAT':
      return Float32Array.from({ length: count }, (_, i) => (i === 0 ? -1e31 : i === 1 ? 3.4e38 : i * 0.1 - 3));
    case 'REAL8':
    case 'DOUBLE':
      return Float64Array.from({ length: count }, (_, i) => (i === 0 ? -1e300 : i === 1 ? Number.MIN_VALUE : i / 3));
    case 'EPOCH':
      return Float64Array.from({ length: count }, (_, i) => EPOCH_2000 + i * 1000.5);
    case 'EPOCH16':
      return Float64Array.from({ length: 2 * count }, (_, i) => (i % 2 === 0 ? 62167219200 + i : 123456789012 - i));
    default:
      return Array.from({ length: count }, (_, i) => STRINGS[i % STRINGS.length]!);
  }
}

/** The matrix variable name for a combination. */
export function matrixName(type: CdfDataType, dims: readonly number[], gzip: boolean): string {
  return `${type.toLowerCase()}_${dims.length}d_${gzip ? 'gz' : 'raw'}`;
}

function isText(type: CdfDataType): boolean {
  return type === 'CHAR' || type === 'UCHAR';
}

function matrixVariable(type: CdfDataType, dims: readonly number[], gzip: boolean): VariableWithValues {
  const perRecord = dims.reduce((a, b) => a * b, 1);
  const values = sampleValues(type, perRecord * MATRIX_RECORDS);
  const firstValue = type === 'EPOCH16' ? [values[0] as number, values[1] as number] : values[0]!;
  return {
    name: matrixName(type, dims, gzip),
    type,
    dims,
    ...(isText(type) ? { numElems: STRING_LENGTH } : {}),
    ...(gzip ? { compression: { type: 'gzip' as const, level: 6 } } : {}),
    blockingFactor: 2,
    values,
    attributes: {
      CATDESC: `${type} with ${dims.length} dimension(s)`,
      ...(isText(type) ? { FILLVAL: ' ' } : { FILLVAL: firstValue }),
    },
  };
}

/** Every matrix variable, the NRV ones and the many-block ones. */
export function matrixVariables(): VariableWithValues[] {
  const variables: VariableWithValues[] = [];
  for (const type of MATRIX_TYPES) {
    for (const dims of MATRIX_DIMS) {
      for (const gzip of [false, true]) variables.push(matrixVariable(type, dims, gzip));
    }
  }
  variables.push(
    { name: 'label_nrv', type: 'CHAR', dims: [3], recordVarying: false, values: ['Bx', 'By', 'Bz'] },
    { name: 'matrix_nrv', type: 'DOUBLE', dims: [2, 2], recordVarying: false, values: new Float64Array([1, 2, 3, 4]) },
    { name: 'scalar_nrv_gz', type: 'INT4', recordVarying: false, compression: { type: 'gzip' }, values: [42] },
    { name: 'many_raw', type: 'INT4', blockingFactor: 1, values: Int32Array.from({ length: MANY_RECORDS }, (_, i) => i * 3) },
    {
      name: 'many_gz',
      type: 'REAL8',
      dims: [2],
      blockingFactor: 1,
      compression: { type: 'gzip', level: 1 },
      values: Float64Array.from({ length: 2 * MANY_RECORDS }, (_, i) => i / 7),
    },
  );
  return variables;
}

/** Global attributes with several entries each, of mixed explicit and inferred types. */
export function matrixGlobalAttributes(): Record<string, GlobalAttributeValue> {
  return {
    Project: 'STP>Solar-Terrestrial Physics',
    TEXT: ['first line', 'second line', 'third line'],
    Mixed: [
      'text',
      7,
      0.5,
      9n,
      new Int16Array([1, -2]),
      new Float32Array([1.5]),
      { type: 'UINT2', value: [65535, 0] },
      { type: 'EPOCH', value: EPOCH_2000 },
      { type: 'TIME_TT2000', value: TT2000_2015 },
      { type: 'UCHAR', value: 'unsigned chars' },
    ],
  };
}
