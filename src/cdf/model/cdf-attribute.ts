import type { CdfDataType } from './cdf-data-type.js';
import type { CdfAttributeValue } from './cdf-values.js';

/**
 * One attribute entry. Entries of one attribute may each have their own data type.
 * For CHAR/UCHAR `value` is the text (CDF ≥ 3.8 multi-string entries keep their `\N ` separators).
 */
export interface CdfAttributeEntry {
  readonly type: CdfDataType;
  /** Number of elements: the string length for CHAR/UCHAR, the number of values otherwise. */
  readonly numElements: number;
  readonly value: CdfAttributeValue;
}

/** A global attribute entry with its entry number (gEntry numbers can be sparse). */
export interface CdfGlobalEntry extends CdfAttributeEntry {
  readonly index: number;
}

/** A global-scope attribute with its entries, in entry-number order. */
export interface CdfGlobalAttribute {
  readonly name: string;
  /** The attribute number in the file (0-based). */
  readonly number: number;
  readonly entries: readonly CdfGlobalEntry[];
}
