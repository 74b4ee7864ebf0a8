import type { CdfReader } from '../../model/cdf-reader.js';
import type { CdfNumericArray } from '../../model/cdf-values.js';
import { entryText } from '../istp-attribute-text.js';
import type { IstpFinding } from '../istp-finding.js';

/** Records read at a time, so a long time variable is checked in bounded memory. */
const CHUNK_RECORDS = 1 << 20;

type Sample = number | bigint;

/**
 * Every variable used as a DEPEND_0 increases from record to record: a decrease (or a NaN) is an
 * error, a repeated value a warning. Checked once per DEPEND_0 variable, on the first value of
 * each record; EPOCH16 compares (seconds, picoseconds) pairs.
 */
export function checkDepend0Monotonic(cdf: CdfReader): IstpFinding[] {
  const users = new Map<string, string[]>();
  for (const variable of cdf.variables) {
    const target = entryText(variable.attributes.DEPEND_0);
    if (target === undefined || !cdf.hasVariable(target)) continue;
    users.set(target, [...(users.get(target) ?? []), variable.name]);
  }
  return [...users].flatMap(([name, dependents]) => checkIncreasing(cdf, name, dependents));
}

function checkIncreasing(cdf: CdfReader, name: string, dependents: readonly string[]): IstpFinding[] {
  const info = cdf.variable(name);
  const role = `${name} (DEPEND_0 of ${dependents.join(', ')})`;
  const base = { rule: 'depend0-monotonic', variable: name } as const;
  if (info.type === 'CHAR' || info.type === 'UCHAR') {
    return [{ ...base, severity: 'error', message: `${role} holds text, not times` }];
  }
  const findings: IstpFinding[] = [];
  const pair = info.type === 'EPOCH16';
  const stride = info.dimensions.reduce((a, b) => a * b, 1) * (pair ? 2 : 1);
  let previous: Sample[] | undefined;
  let repeated = false;
  try {
    for (let first = 0; first < info.recordCount; first += CHUNK_RECORDS) {
      const last = Math.min(first + CHUNK_RECORDS, info.recordCount) - 1;
      const values = cdf.read(name, { first, last }).values as CdfNumericArray;
      for (let r = 0; r <= last - first; r++) {
        const current = pair ? [values[r * stride]!, values[r * stride + 1]!] : [values[r * stride]!];
        const order = previous ? compare(previous, current) : -1;
        const record = first + r;
        if (Number.isNaN(order)) {
          return [...findings, { ...base, severity: 'error', message: `${role} is not a number at record ${record}` }];
        }
        if (order > 0) {
          const message = `${role} decreases at record ${record}: ${show(previous!)} then ${show(current)}`;
          return [...findings, { ...base, severity: 'error', message }];
        }
        if (order === 0 && !repeated) {
          repeated = true;
          findings.push({ ...base, severity: 'warning', message: `${role} repeats at record ${record}: ${show(current)}` });
        }
        previous = current;
      }
    }
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return [...findings, { ...base, severity: 'error', message: `${role} cannot be read: ${reason}` }];
  }
  return findings;
}

/** Sign of a - b compared lexicographically; NaN when a value is NaN. */
function compare(a: readonly Sample[], b: readonly Sample[]): number {
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (typeof x === 'number' && typeof y === 'number' && (Number.isNaN(x) || Number.isNaN(y))) return Number.NaN;
    if (x < y) return -1;
    if (x > y) return 1;
  }
  return 0;
}

function show(sample: readonly Sample[]): string {
  return sample.map(String).join(', ');
}
