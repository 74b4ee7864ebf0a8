import { CdfWriteError, type CdfWriteErrorDetails } from './cdf-write-error.js';

/** Names of variables and attributes fill a 256-byte field. */
export const MAX_NAME_BYTES = 256;

/** Checks a variable or attribute name: 1 to 256 bytes, no control characters. */
export function checkName(name: unknown, what: 'variable' | 'attribute', where: CdfWriteErrorDetails): string {
  if (typeof name !== 'string' || name.length === 0) {
    throw new CdfWriteError('invalid-name', `a ${what} name must be a non-empty string`, where);
  }
  const bytes = Buffer.byteLength(name, 'utf8');
  if (bytes > MAX_NAME_BYTES) {
    throw new CdfWriteError(
      'invalid-name',
      `${what} name "${name.slice(0, 40)}..." is ${bytes} bytes; CDF names hold at most ${MAX_NAME_BYTES}`,
      where,
    );
  }
  if (/[\u0000-\u001f\u007f]/.test(name)) {
    throw new CdfWriteError('invalid-name', `${what} name ${JSON.stringify(name)} contains a control character`, where);
  }
  return name;
}
