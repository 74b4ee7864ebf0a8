/**
 * Runs JCDF (Debian `libjcdf-java`, an independent Java CDF reader) on a file and parses its
 * `CdfList -data` output, so tests can compare the project's reader and writer against it.
 *
 * JCDF is run through test/support/JcdfLax.java, which turns off JCDF's fatal check of TT2000
 * values later than the file's LeapSecondLastUpdated. Listings are cached per file for the
 * process (one JVM start per fixture per test file).
 *
 * @example
 * if (jcdfAvailable()) {
 *   const listing = jcdfList('test/fixtures/cdf/jcdf_test.cdf');
 *   const v = listing.variables.find((x) => x.name === 'tt2000')!;
 *   expect(jcdfMismatch(v.records[2]!.text, data.values, 'TIME_TT2000', 2, 1)).toBeUndefined();
 * }
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CdfAttributeValue, CdfDataType, CdfValues } from '../../src/cdf/index.js';
import { epoch16ToIso, epochToIso, tt2000ToIso } from '../../src/cdf/index.js';

/** Where Debian installs the JCDF jar. */
export const JCDF_JAR = process.env.JCDF_JAR ?? '/usr/share/java/jcdf.jar';
const LAX_LAUNCHER = fileURLToPath(new URL('./JcdfLax.java', import.meta.url));

/** One record line: `stored` exists in the file, `virtual` is JCDF's `[ ... ]` fill, `nrv` its `{ ... }`. */
export interface JcdfRecord {
  readonly index: number;
  readonly kind: 'stored' | 'virtual' | 'nrv';
  /** The values as printed, joined by `, `. */
  readonly text: string;
}

/** One variable block of `CdfList -data`. */
export interface JcdfVariable {
  readonly number: number;
  readonly name: string;
  /** JCDF's type name: `REAL4`, `TIME_TT2000`, `CHAR`... (the project's CdfDataType names). */
  readonly type: string;
  readonly kind: 'z' | 'r';
  readonly dimensions: readonly number[];
  readonly recordVariance: boolean;
  readonly dimensionVariance: readonly boolean[];
  /** Variable attributes as printed, in file order. */
  readonly attributes: ReadonlyArray<{ readonly name: string; readonly text: string }>;
  readonly records: readonly JcdfRecord[];
}

/** A global attribute: one printed line per entry number from 0, `null` where there is no entry. */
export interface JcdfGlobalAttribute {
  readonly name: string;
  readonly entries: ReadonlyArray<string | null>;
}

export interface JcdfListing {
  readonly globalAttributes: readonly JcdfGlobalAttribute[];
  readonly variables: readonly JcdfVariable[];
}

const listings = new Map<string, JcdfListing>();

/** True when java and the JCDF jar are installed. */
export function jcdfAvailable(): boolean {
  if (!existsSync(JCDF_JAR)) return false;
  return spawnSync('java', ['-version'], { stdio: 'ignore' }).status === 0;
}

/** `CdfList -data FILE`, parsed; cached per absolute path for this process. */
export function jcdfList(file: string): JcdfListing {
  const key = path.resolve(file);
  let listing = listings.get(key);
  if (!listing) {
    listing = parseJcdfList(runJcdf(['list', '-data', key]));
    listings.set(key, listing);
  }
  return listing;
}

/** `CdfDump [-fields] FILE`: one line per internal record, as text. */
export function jcdfDump(file: string, fields = false): string {
  return runJcdf(['dump', ...(fields ? ['-fields'] : []), path.resolve(file)]);
}

function runJcdf(args: string[]): string {
  return execFileSync('java', ['-cp', JCDF_JAR, LAX_LAUNCHER, ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 30,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

const VARIABLE_HEADER = /^Variable (\d+): (.*)  ---  (\S+) \(([zr])\) (\d+):\[([\d,]*)\] ([TF])\/([TF]*)$/;
const RECORD_LINE = /^(\[|\{)?\s*(\d+):\t(.*)$/;
const VARIABLE_ATTRIBUTE = /^    ([^\t]+):\t(.*)$/;

/** Parses the text of `CdfList -data`. Lines that match nothing continue the previous value (text with newlines). */
export function parseJcdfList(text: string): JcdfListing {
  const globals: Array<{ name: string; entries: Array<string | null> }> = [];
  const variables: Array<JcdfVariable & { attributes: Array<{ name: string; text: string }>; records: JcdfRecord[] }> = [];
  let append: ((more: string) => void) | undefined;
  for (const line of text.split('\n')) {
    const header = VARIABLE_HEADER.exec(line);
    if (header) {
      variables.push(variableFromHeader(header));
      append = undefined;
      continue;
    }
    const current = variables.at(-1);
    if (!current) {
      append = parseGlobalLine(line, globals) ?? append;
      continue;
    }
    if (/^-+$/.test(line) || line === '') continue;
    const record = RECORD_LINE.exec(line);
    if (record) {
      current.records.push(recordFrom(record));
      append = undefined;
      continue;
    }
    const attribute = VARIABLE_ATTRIBUTE.exec(line);
    if (attribute) {
      const entry = { name: attribute[1]!, text: attribute[2]! };
      current.attributes.push(entry);
      append = (more) => (entry.text += `\n${more}`);
      continue;
    }
    append?.(line);
  }
  return { globalAttributes: globals, variables };
}

function parseGlobalLine(
  line: string,
  globals: Array<{ name: string; entries: Array<string | null> }>,
): ((more: string) => void) | undefined {
  if (line === 'Global Attributes' || /^-+$/.test(line) || line === '') return undefined;
  if (line.startsWith('        ')) {
    const attribute = globals.at(-1);
    if (!attribute) return undefined;
    const value = line.slice(8);
    const index = attribute.entries.push(value === 'null' ? null : value) - 1;
    return (more) => (attribute.entries[index] += `\n${more}`);
  }
  if (line.startsWith('    ')) {
    globals.push({ name: line.slice(4), entries: [] });
    return undefined;
  }
  return undefined;
}

function variableFromHeader(match: RegExpExecArray): JcdfVariable & {
  attributes: Array<{ name: string; text: string }>;
  records: JcdfRecord[];
} {
  const dims = match[6] === '' ? [] : match[6]!.split(',').map(Number);
  return {
    number: Number(match[1]),
    name: match[2]!,
    type: match[3]!,
    kind: match[4] as 'z' | 'r',
    dimensions: dims,
    recordVariance: match[7] === 'T',
    dimensionVariance: [...match[8]!].map((c) => c === 'T'),
    attributes: [],
    records: [],
  };
}

function recordFrom(match: RegExpExecArray): JcdfRecord {
  const bracket = match[1];
  const body = match[3]!;
  const kind = bracket === '[' ? 'virtual' : bracket === '{' ? 'nrv' : 'stored';
  return { index: Number(match[2]), kind, text: bracket ? body.slice(0, -2) : body };
}

/**
 * JCDF prints a record of a column-major file in storage order (first dimension fastest), while
 * the project's reader returns row-major order. For printed position p, returns the row-major
 * index of the value JCDF printed there; pass it to `jcdfMismatch` as `order`.
 */
export function columnMajorPrintOrder(dimensions: readonly number[]): Int32Array {
  const total = dimensions.reduce((a, b) => a * b, 1);
  const order = new Int32Array(total);
  const index = new Array<number>(dimensions.length).fill(0);
  for (let printed = 0; printed < total; printed++) {
    let rowMajor = 0;
    for (let d = 0; d < dimensions.length; d++) rowMajor = rowMajor * dimensions[d]! + index[d]!;
    order[printed] = rowMajor;
    for (let d = 0; d < dimensions.length; d++) {
      if (++index[d]! < dimensions[d]!) break;
      index[d] = 0;
    }
  }
  return order;
}

/**
 * Compares JCDF's printed values with `count` values of a typed array or string list starting at
 * element `offset` (EPOCH16: pair index), or with an attribute entry value. `order` maps printed
 * positions to value positions (see `columnMajorPrintOrder`). Returns undefined when they match,
 * else a description of the first difference.
 *
 * Numbers are compared as the numbers JCDF's text denotes (REAL4 after rounding to float32); times
 * as ISO text, with two known JCDF differences allowed: TT2000 before 1972, where JCDF's drift
 * model differs from NASA's by up to 2 ms, and the EPOCH fill value −1e31, which JCDF prints as
 * an overflowed date (year 292269055) and NASA's library as 9999-12-31T23:59:59.999.
 */
export function jcdfMismatch(
  printed: string,
  values: CdfValues | CdfAttributeValue,
  type: CdfDataType,
  offset = 0,
  count?: number,
  order?: Int32Array,
): string | undefined {
  if (typeof values === 'string') return printed === values ? undefined : `expected "${printed}", got "${values}"`;
  const at = (i: number): number => offset + (order ? order[i]! : i);
  if (Array.isArray(values)) {
    const n = count ?? values.length - offset;
    const mine = Array.from({ length: n }, (_, i) => values[at(i)]).join(', ');
    return printed === mine ? undefined : `expected "${printed}", got "${mine}"`;
  }
  const expected = printed.split(', ');
  const n = count ?? expected.length;
  if (expected.length !== n) return `JCDF printed ${expected.length} values, compared ${n}`;
  for (let i = 0; i < n; i++) {
    const problem = valueMismatch(expected[i]!, values, type, at(i));
    if (problem) return `value ${i}: ${problem}`;
  }
  return undefined;
}

function valueMismatch(printed: string, values: Exclude<CdfValues, string[]>, type: CdfDataType, index: number): string | undefined {
  const mine = formatValue(values, type, index);
  if (mine === undefined) return `index ${index} is beyond the ${values.length} values read`;
  if (type === 'EPOCH' && values[index] === -1e31 && printed.startsWith('292269055-')) return undefined;
  if (type === 'TIME_TT2000' && printed < '1972' && mine < '1972') {
    return Math.abs(Date.parse(`${printed.slice(0, 23)}Z`) - Date.parse(`${mine.slice(0, 23)}Z`)) <= 2
      ? undefined
      : `expected ${printed}, got ${mine} (pre-1972, more than 2 ms apart)`;
  }
  if (type === 'EPOCH' || type === 'EPOCH16' || type === 'TIME_TT2000' || typeof values[index] === 'bigint') {
    return printed === mine ? undefined : `expected ${printed}, got ${mine}`;
  }
  const expected = type === 'REAL4' || type === 'FLOAT' ? Math.fround(Number(printed)) : Number(printed);
  const actual = values[index] as number;
  return Object.is(expected, actual) || expected === actual ? undefined : `expected ${printed}, got ${actual}`;
}

function formatValue(values: Exclude<CdfValues, string[]>, type: CdfDataType, index: number): string | undefined {
  if (type === 'EPOCH16') {
    if (2 * index + 1 >= values.length) return undefined;
    return epoch16ToIso(values[2 * index] as number, values[2 * index + 1] as number);
  }
  if (index >= values.length) return undefined;
  const value = values[index]!;
  if (type === 'EPOCH') return epochToIso(value as number);
  if (type === 'TIME_TT2000') return tt2000ToIso(value as bigint);
  return String(value);
}
