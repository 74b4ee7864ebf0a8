import { CdfUsageError } from '../errors/cdf-usage-error.js';
import type { LeapSecondTable } from './leap-second-table.js';
import { tt2000Scale, tt2000ToUnixMs } from './tt2000-converter.js';

const TWO_POW_32_NS_IN_MS = 4_294.967_296;
const TT_MINUS_TAI_MS = 32_184;
const J2000_UNIX_MS = 946_728_000_000;

/**
 * Piecewise-linear TT2000 (as ms) → Unix ms map: segment i covers [start[i], end[i]) and maps
 * v to v·slope[i] + add[i]. A leap second is a flat segment at the following midnight; the
 * pre-1972 era (TAI−UTC drifting per day) has slope NaN and goes through the exact converter.
 */
interface Segments {
  readonly start: Float64Array;
  readonly end: Float64Array;
  readonly slope: Float64Array;
  readonly add: Float64Array;
}

const cache = new WeakMap<LeapSecondTable, Segments>();

/**
 * Converts a whole TT2000 column to Unix milliseconds (fractional; a leap second reads as the
 * following midnight; fill and pad read as NaN). Sorted input is converted in one linear sweep
 * over the leap-second boundaries without allocating per value.
 *
 * @example
 * const unixMs = tt2000ArrayToUnixMs(cdf.read('Epoch').values as BigInt64Array);
 */
export function tt2000ArrayToUnixMs(values: BigInt64Array, out?: Float64Array, table?: LeapSecondTable): Float64Array {
  const result = out ?? new Float64Array(values.length);
  if (result.length < values.length) {
    throw new CdfUsageError('bad-record-range', `output holds ${result.length} values, input has ${values.length}`);
  }
  const scale = tt2000Scale(table);
  const words = new Int32Array(values.buffer, values.byteOffset, values.length * 2);
  const { start, end, slope, add } = segmentsOf(scale.table);
  const count = values.length;
  let i = 0;
  while (i < count) {
    const segment = findSegment(start, msAt(words, i));
    const low = start[segment]!;
    const high = end[segment]!;
    const m = slope[segment]!;
    const b = add[segment]!;
    const runStart = i;
    // The hot loop: values stay in one leap-second interval for long runs.
    for (; i < count && m === m; i++) {
      const ms = msAt(words, i);
      if (ms < low || ms >= high) break;
      result[i] = ms * m + b;
    }
    // Pre-1972 values (and, defensively, any value the segments miss) take the exact path.
    if (i === runStart) {
      result[i] = tt2000ToUnixMs(values[i]!, scale.table);
      i++;
    }
  }
  return result;
}

/** Value i (a TT2000 count of ns as two int32 words, little-endian) in milliseconds. */
function msAt(words: Int32Array, i: number): number {
  return words[2 * i + 1]! * TWO_POW_32_NS_IN_MS + (words[2 * i]! >>> 0) * 1e-6;
}

function segmentsOf(table: LeapSecondTable): Segments {
  let segments = cache.get(table);
  if (!segments) {
    segments = buildSegments(table);
    cache.set(table, segments);
  }
  return segments;
}

function buildSegments(table: LeapSecondTable): Segments {
  const scale = tt2000Scale(table);
  const firstFixed = table.driftRowCount;
  const rows: Array<[number, number, number, number]> = [];
  const fixedStart = firstFixed < table.entries.length ? Number(scale.rowStarts[firstFixed]!) / 1e6 : Infinity;
  rows.push([-Infinity, fixedStart, Number.NaN, 0]);
  for (let row = firstFixed; row < table.entries.length; row++) {
    const taiMinusUtc = table.entries[row]!.taiMinusUtc;
    const from = Number(scale.rowStarts[row]!) / 1e6;
    const next = table.entries[row + 1];
    const nextStart = next ? Number(scale.rowStarts[row + 1]!) / 1e6 : Infinity;
    const leapMs = next ? Math.max(0, (next.taiMinusUtc - taiMinusUtc) * 1000) : 0;
    const offset = J2000_UNIX_MS - TT_MINUS_TAI_MS - taiMinusUtc * 1000;
    rows.push([from, nextStart - leapMs, 1, offset]);
    if (leapMs > 0) rows.push([nextStart - leapMs, nextStart, 0, nextStart - leapMs + offset]);
  }
  return {
    start: Float64Array.from(rows, (r) => r[0]),
    end: Float64Array.from(rows, (r) => r[1]),
    slope: Float64Array.from(rows, (r) => r[2]),
    add: Float64Array.from(rows, (r) => r[3]),
  };
}

function findSegment(start: Float64Array, ms: number): number {
  let low = 0;
  let high = start.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (start[mid]! <= ms) low = mid + 1;
    else high = mid;
  }
  return Math.max(0, low - 1);
}
