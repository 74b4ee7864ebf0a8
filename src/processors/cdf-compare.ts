import type { CdfReader, CdfValues } from '../cdf/index.js';

/** How one variable of two CDF files compares. */
export interface VariableDiff {
  name: string;
  status: 'same' | 'differs' | 'only-production' | 'only-staging';
  /** Largest |staging - production| over the values (numeric variables of the same shape). */
  maxAbsDiff: number | null;
  /** Values that differ by more than the tolerance. */
  differing: number;
  note?: string;
}

/**
 * Compares the variables of two CDF files value by value: missing and extra variables, shape
 * differences, and for numbers the largest absolute difference (NaN equals NaN; differences
 * within `tolerance` count as equal). Strings compare exactly.
 */
export function compareCdfVariables(production: CdfReader, staging: CdfReader, tolerance = 0): VariableDiff[] {
  const names = [...new Set([...production.variables.map((v) => v.name), ...staging.variables.map((v) => v.name)])].sort();
  return names.map((name): VariableDiff => {
    if (!staging.hasVariable(name)) return { name, status: 'only-production', maxAbsDiff: null, differing: 0 };
    if (!production.hasVariable(name)) return { name, status: 'only-staging', maxAbsDiff: null, differing: 0 };
    const a = readAll(production, name);
    const b = readAll(staging, name);
    if (a.shape.join('x') !== b.shape.join('x')) return { name, status: 'differs', maxAbsDiff: null, differing: 0, note: `shape [${a.shape.join(', ')}] in production, [${b.shape.join(', ')}] in staging` };
    const { maxAbsDiff, differing } = compareValues(a.values, b.values, tolerance);
    return { name, status: differing === 0 ? 'same' : 'differs', maxAbsDiff, differing };
  });
}

function readAll(cdf: CdfReader, name: string): { shape: readonly number[]; values: CdfValues } {
  const info = cdf.variable(name);
  if (info.recordCount === 0) return { shape: [0, ...info.dimensions], values: [] };
  const data = cdf.read(name);
  return { shape: data.shape, values: data.values };
}

function compareValues(a: CdfValues, b: CdfValues, tolerance: number): { maxAbsDiff: number | null; differing: number } {
  if (Array.isArray(a) || Array.isArray(b)) {
    let differing = 0;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) differing++;
    return { maxAbsDiff: null, differing };
  }
  let max = 0;
  let differing = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    // Integer times (TT2000) are compared exactly as integers; a NaN against a number counts as infinitely far.
    const diff = typeof x === 'bigint' && typeof y === 'bigint' ? Math.abs(Number(x - y)) : Number.isNaN(Number(x)) && Number.isNaN(Number(y)) ? 0 : Math.abs(Number(x) - Number(y));
    const d = Number.isNaN(diff) ? Infinity : diff;
    if (d > tolerance) differing++;
    if (d > max) max = d;
  }
  return { maxAbsDiff: max, differing };
}
