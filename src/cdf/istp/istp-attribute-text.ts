import type { CdfAttributeEntry } from '../model/cdf-attribute.js';
import type { CdfGlobalAttribute } from '../model/cdf-attribute.js';

/** The trimmed text of a CHAR/UCHAR entry; undefined for a numeric entry or none. */
export function entryText(entry: CdfAttributeEntry | undefined): string | undefined {
  return typeof entry?.value === 'string' ? entry.value.trim() : undefined;
}

/** True when an entry exists and is not blank text (numeric entries always count). */
export function hasValue(entry: CdfAttributeEntry | undefined): boolean {
  if (!entry) return false;
  return typeof entry.value !== 'string' || entry.value.trim() !== '';
}

/** True when a global attribute has at least one non-blank entry. */
export function globalHasValue(attribute: CdfGlobalAttribute | undefined): boolean {
  return attribute !== undefined && attribute.entries.some((entry) => hasValue(entry));
}
