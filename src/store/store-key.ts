import { InvalidStoreKeyError } from './store-errors.js';

/**
 * The top-level folder where the folder store writes files before renaming them onto their keys.
 * No key may start with it, in any store, so that a key valid in one store is valid in all.
 */
export const RESERVED_TOP_FOLDER = '.sdc-tmp';

/** S3's limit on a key; the folder store keeps it too, so keys move between stores unchanged. */
const MAX_KEY_BYTES = 1024;
/** The usual limit on one file name (ext4, XFS, NFS). */
const MAX_SEGMENT_BYTES = 255;
// Control characters and backslashes: file names come from outside, and `\` is a separator on some clients.
const FORBIDDEN_CHARACTER = /[\u0000-\u001f\u007f\\]/;

/**
 * Checks a store key: a relative, `/`-separated path such as `sc1/mag/survey/2015/10/x.cdf`.
 * Refused: empty keys, absolute keys, empty, `.` or `..` segments, backslashes, NUL and other
 * control characters, keys over 1024 bytes or segments over 255 bytes (UTF-8), and keys under
 * the reserved `.sdc-tmp/` folder. Throws InvalidStoreKeyError.
 */
export function assertValidKey(key: string): void {
  if (typeof key !== 'string' || key.length === 0) throw new InvalidStoreKeyError(String(key), 'a key must be a non-empty string');
  if (key.startsWith('/')) throw new InvalidStoreKeyError(key, 'a key must be relative (no leading /)');
  assertSafeText(key);
  key.split('/').forEach((segment, index) => assertValidSegment(key, segment, index));
}

/**
 * Checks a list prefix: empty (everything), a folder ending in `/`, or a key's beginning such
 * as `sc1/mag/survey/2015/10/sc1_mag`. Complete segments follow the key rules.
 */
export function assertValidPrefix(prefix: string): void {
  if (typeof prefix !== 'string') throw new InvalidStoreKeyError(String(prefix), 'a prefix must be a string');
  if (prefix.length === 0) return;
  if (prefix.startsWith('/')) throw new InvalidStoreKeyError(prefix, 'a prefix must be relative (no leading /)');
  assertSafeText(prefix);
  const segments = prefix.split('/');
  segments.slice(0, -1).forEach((segment, index) => assertValidSegment(prefix, segment, index));
}

function assertSafeText(key: string): void {
  if (FORBIDDEN_CHARACTER.test(key)) throw new InvalidStoreKeyError(key, 'backslashes, NUL and control characters are not allowed');
  if (Buffer.byteLength(key) > MAX_KEY_BYTES) throw new InvalidStoreKeyError(key, `a key may not exceed ${MAX_KEY_BYTES} bytes`);
}

function assertValidSegment(key: string, segment: string, index: number): void {
  if (segment === '') throw new InvalidStoreKeyError(key, 'empty path segments (// or a trailing /) are not allowed');
  if (segment === '.' || segment === '..') throw new InvalidStoreKeyError(key, `'${segment}' segments are not allowed`);
  if (Buffer.byteLength(segment) > MAX_SEGMENT_BYTES) throw new InvalidStoreKeyError(key, `a path segment may not exceed ${MAX_SEGMENT_BYTES} bytes`);
  if (index === 0 && segment === RESERVED_TOP_FOLDER) throw new InvalidStoreKeyError(key, `'${RESERVED_TOP_FOLDER}/' is reserved for the store's temporary files`);
}

/** Checks a byte range (inclusive `end`) before any I/O; the store checks it against the size. */
export function isWellFormedRange(range: { start: number; end: number }): boolean {
  return Number.isSafeInteger(range.start) && Number.isSafeInteger(range.end) && range.start >= 0 && range.end >= range.start;
}
