import type { CdfDataType } from '../model/cdf-data-type.js';
import type { CdfAttributeValue, CdfValues } from '../model/cdf-values.js';
import { epoch16ToIso, epochToIso } from '../time/epoch-converter.js';
import type { LeapSecondTable } from '../time/leap-second-table.js';
import { tt2000ToIso } from '../time/tt2000-converter.js';

/** A value as JSON can hold it: times as ISO UTC, INT8 as decimal text, non-finite numbers as text. */
export type PlainValue = number | string;

/**
 * Value `index` of `values` (an EPOCH16 index counts pairs) as a plain value: EPOCH, EPOCH16 and
 * TIME_TT2000 as ISO UTC, INT8 as decimal text, NaN and ±Infinity as text.
 */
export function plainValue(values: CdfValues, type: CdfDataType, index: number, table?: LeapSecondTable): PlainValue {
  if (Array.isArray(values)) return values[index]!;
  if (type === 'EPOCH16') return epoch16ToIso(values[2 * index] as number, values[2 * index + 1] as number);
  const value = values[index]!;
  if (type === 'TIME_TT2000') return tt2000ToIso(value as bigint, table);
  if (typeof value === 'bigint') return value.toString();
  if (type === 'EPOCH') return epochToIso(value);
  if (!Number.isFinite(value)) return String(value);
  return type === 'REAL4' || type === 'FLOAT' ? shortestFloat32(value) : value;
}

/** The shortest decimal that reads back as the same float32 (10.2, not 10.199999809265137). */
function shortestFloat32(value: number): number {
  for (let digits = 1; digits < 9; digits++) {
    const candidate = Number(value.toPrecision(digits));
    if (Math.fround(candidate) === value) return candidate;
  }
  return value;
}

/** `count` values from `start` as plain values. */
export function plainValues(values: CdfValues, type: CdfDataType, start: number, count: number, table?: LeapSecondTable): PlainValue[] {
  return Array.from({ length: count }, (_, i) => plainValue(values, type, start + i, table));
}

/** An attribute entry as plain values: the text of a CHAR entry, else one plain value per element. */
export function plainAttributeValue(value: CdfAttributeValue, type: CdfDataType, table?: LeapSecondTable): PlainValue | PlainValue[] {
  if (typeof value === 'string') return value;
  const count = type === 'EPOCH16' ? value.length / 2 : value.length;
  const plain = plainValues(value, type, 0, count, table);
  return plain.length === 1 ? plain[0]! : plain;
}
