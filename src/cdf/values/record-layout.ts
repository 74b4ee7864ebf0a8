import type { CdfValues } from '../model/cdf-values.js';

/**
 * Where each value of a logical row-major record comes from in the stored record: the stored
 * record may be column-major (first dimension fastest) and omits non-varying dimensions.
 * Returns undefined when the stored order already is the logical order.
 */
export function recordLayoutMap(
  dimensions: readonly number[],
  dimensionVariance: readonly boolean[],
  columnMajor: boolean,
): Int32Array | undefined {
  const storedDims = dimensions.filter((_, i) => dimensionVariance[i]);
  const allVary = storedDims.length === dimensions.length;
  if (allVary && (!columnMajor || storedDims.length < 2)) return undefined;
  const total = dimensions.reduce((a, b) => a * b, 1);
  const strides = storedStrides(dimensions, dimensionVariance, columnMajor);
  const map = new Int32Array(total);
  const index = new Array<number>(dimensions.length).fill(0);
  for (let flat = 0; flat < total; flat++) {
    let stored = 0;
    for (let d = 0; d < dimensions.length; d++) stored += index[d]! * strides[d]!;
    map[flat] = stored;
    for (let d = dimensions.length - 1; d >= 0; d--) {
      if (++index[d]! < dimensions[d]!) break;
      index[d] = 0;
    }
  }
  return map;
}

/** Stride of each logical dimension in the stored record (0 for a non-varying dimension). */
function storedStrides(dimensions: readonly number[], variance: readonly boolean[], columnMajor: boolean): number[] {
  const strides = new Array<number>(dimensions.length).fill(0);
  const order = dimensions.map((_, i) => i);
  if (!columnMajor) order.reverse();
  let stride = 1;
  for (const d of order) {
    if (!variance[d]) continue;
    strides[d] = stride;
    stride *= dimensions[d]!;
  }
  return strides;
}

/**
 * Rearranges `records` stored records into logical order with a map from `recordLayoutMap`.
 * `width` is the number of array slots per value (2 for EPOCH16's Float64 pairs).
 */
export function applyRecordLayout<T extends CdfValues>(values: T, records: number, storedPerRecord: number, map: Int32Array, width: number): T {
  const perRecord = map.length;
  const out = allocateLike(values, records * perRecord * width);
  for (let r = 0; r < records; r++) {
    const inBase = r * storedPerRecord * width;
    const outBase = r * perRecord * width;
    for (let i = 0; i < perRecord; i++) {
      const from = inBase + map[i]! * width;
      const to = outBase + i * width;
      for (let w = 0; w < width; w++) out[to + w] = values[from + w]!;
    }
  }
  return out;
}

function allocateLike<T extends CdfValues>(values: T, length: number): T & { [i: number]: unknown } {
  if (Array.isArray(values)) return new Array<string>(length) as T & { [i: number]: unknown };
  const Constructor = values.constructor as new (length: number) => T;
  return new Constructor(length) as T & { [i: number]: unknown };
}
