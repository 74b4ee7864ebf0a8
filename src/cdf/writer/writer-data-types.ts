import { CDF_DATA_TYPES, type CdfDataType } from '../model/cdf-data-type.js';
import { CdfWriteError, type CdfWriteErrorDetails } from './cdf-write-error.js';

/** How values of a type are given in JavaScript and laid out in bytes. */
export type ValueKind = 'integer' | 'int64' | 'float' | 'epoch16' | 'char';

/** Everything the writer needs to know about one data type. */
export interface WriterDataType {
  name: CdfDataType;
  code: number;
  /** Bytes of one element (of one character for CHAR/UCHAR). */
  size: number;
  kind: ValueKind;
  /** Inclusive range of the integer types. */
  min?: number;
  max?: number;
}

type WriterTraits = Omit<WriterDataType, 'name' | 'code' | 'size'>;

function integer(min: number, max: number): WriterTraits {
  return { kind: 'integer', min, max };
}

const TRAITS: Readonly<Record<CdfDataType, WriterTraits>> = {
  INT1: integer(-128, 127),
  INT2: integer(-32768, 32767),
  INT4: integer(-2147483648, 2147483647),
  INT8: { kind: 'int64' },
  UINT1: integer(0, 255),
  UINT2: integer(0, 65535),
  UINT4: integer(0, 4294967295),
  REAL4: { kind: 'float' },
  REAL8: { kind: 'float' },
  FLOAT: { kind: 'float' },
  DOUBLE: { kind: 'float' },
  EPOCH: { kind: 'float' },
  EPOCH16: { kind: 'epoch16' },
  TIME_TT2000: { kind: 'int64' },
  BYTE: integer(-128, 127),
  CHAR: { kind: 'char' },
  UCHAR: { kind: 'char' },
};

/** Looks a data type up by its name (`REAL4`, `TIME_TT2000`...); throws `unknown-type` otherwise. */
export function writerDataType(name: string, where: CdfWriteErrorDetails = {}): WriterDataType {
  if (Object.hasOwn(CDF_DATA_TYPES, name)) {
    const type = name as CdfDataType;
    return { name: type, ...CDF_DATA_TYPES[type], ...TRAITS[type] };
  }
  throw new CdfWriteError(
    'unknown-type',
    `unknown CDF data type ${JSON.stringify(name)}; expected one of ${Object.keys(CDF_DATA_TYPES).join(', ')}`,
    where,
  );
}
