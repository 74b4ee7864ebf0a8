/**
 * The writer's test matrix: every type x 0-4 dimensions x (GZIP, not) in each of four files,
 * (row, column majority) x (MD5, not), plus NRV variables, multi-entry global attributes and
 * many-block variables indexed by a multi-level VXR tree. Each file is read back by the
 * project's reader and by JCDF, an independent reader; one JVM per file.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCdf, type CdfReader } from '../../../src/cdf/index.js';
import { writeCdf, type VariableWithValues } from '../../../src/cdf/writer/index.js';
import { jcdfAvailable, jcdfDump, jcdfList, jcdfMismatch, type JcdfVariable } from '../../support/jcdf.js';
import { asReaderValues, toColumnMajor } from './expected-values.js';
import { matrixGlobalAttributes, matrixVariables, MANY_RECORDS } from './matrix-content.js';

const FILES = [
  { majority: 'row', md5: false },
  { majority: 'row', md5: true },
  { majority: 'column', md5: false },
  { majority: 'column', md5: true },
] as const;

const withJcdf = jcdfAvailable();
if (!withJcdf && process.env.CI === 'true') throw new Error('CI needs JCDF (libjcdf-java) for the writer matrix');

const variables = matrixVariables();
const dir = mkdtempSync(path.join(tmpdir(), 'cdf-matrix-'));
const fileName = (f: (typeof FILES)[number]) => path.join(dir, `matrix_${f.majority}${f.md5 ? '_md5' : ''}.cdf`);

beforeAll(async () => {
  for (const file of FILES) {
    await writeCdf(fileName(file), { globalAttributes: matrixGlobalAttributes(), variables }, file);
  }
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function perRecord(variable: VariableWithValues): number {
  return (variable.dims ?? []).reduce((a, b) => a * b, 1);
}

function width(variable: VariableWithValues): number {
  return variable.type === 'EPOCH16' ? 2 : 1;
}

/** The values in the order JCDF prints them: the file's order within each record. */
function jcdfOrder(variable: VariableWithValues, majority: 'row' | 'column') {
  const values = asReaderValues(variable.type, variable.values!);
  return majority === 'column' ? toColumnMajor(values, variable.dims ?? [], width(variable)) : values;
}

/** JCDF prints the NUL bytes that pad short strings; the strings themselves end at the first NUL. */
function withoutNul(text: string): string {
  return text.replaceAll('\0', '');
}

function jcdfVariableProblems(listed: JcdfVariable, variable: VariableWithValues, majority: 'row' | 'column'): string[] {
  const values = jcdfOrder(variable, majority);
  const n = perRecord(variable);
  const records = values.length / (n * width(variable));
  const problems: string[] = [];
  if (listed.records.length !== records) problems.push(`${variable.name}: ${listed.records.length} records, expected ${records}`);
  listed.records.forEach((record, r) => {
    const text = Array.isArray(values) ? withoutNul(record.text) : record.text;
    const problem = jcdfMismatch(text, values, variable.type, r * n, n);
    if (problem) problems.push(`${variable.name} record ${r}: ${problem}`);
  });
  return problems;
}

describe.each(FILES)('a $majority-major file (md5: $md5)', (file) => {
  let cdf: CdfReader;
  beforeAll(() => {
    cdf = openCdf(fileName(file));
  });
  afterAll(() => cdf.close());

  it('has the header fields the NASA library writes', () => {
    expect(cdf.file).toMatchObject({
      version: '3.9.0',
      encoding: 6,
      littleEndian: true,
      majority: file.majority,
      hasChecksum: file.md5,
      fileCompression: 'none',
      leapSecondLastUpdated: 20170101,
    });
    expect(cdf.verifyChecksum()).toBe(file.md5);
  });

  it('reads back every variable with the values, shape, type and compression written', () => {
    for (const variable of variables) {
      const info = cdf.variable(variable.name);
      const records = variable.values!.length / (perRecord(variable) * width(variable));
      expect(info, variable.name).toMatchObject({
        type: variable.type,
        dimensions: variable.dims ?? [],
        recordVariance: variable.recordVarying ?? true,
        compression: variable.compression ? 'gzip' : 'none',
      });
      const data = cdf.read(variable.name);
      expect(data.shape, variable.name).toEqual([records, ...(variable.dims ?? [])]);
      expect(data.values, variable.name).toEqual(asReaderValues(variable.type, variable.values!));
    }
  });

  it('reads back global attributes with every entry and its type', () => {
    const mixed = cdf.globalAttribute('Mixed')!.entries;
    expect(mixed.map((e) => e.type)).toEqual(['CHAR', 'INT4', 'DOUBLE', 'INT8', 'INT2', 'FLOAT', 'UINT2', 'EPOCH', 'TIME_TT2000', 'UCHAR']);
    expect(mixed.map((e) => e.value)).toEqual([
      'text',
      new Int32Array([7]),
      new Float64Array([0.5]),
      new BigInt64Array([9n]),
      new Int16Array([1, -2]),
      new Float32Array([1.5]),
      new Uint16Array([65535, 0]),
      new Float64Array([63113904000000]),
      new BigInt64Array([488980868184000000n]),
      'unsigned chars',
    ]);
    expect(cdf.globalAttribute('TEXT')!.entries.map((e) => [e.index, e.value])).toEqual([
      [0, 'first line'],
      [1, 'second line'],
      [2, 'third line'],
    ]);
  });

  it('reads back variable attributes in the variable type', () => {
    for (const variable of variables.filter((v) => v.attributes?.FILLVAL !== undefined)) {
      const fill = cdf.variable(variable.name).attributes.FILLVAL!;
      const text = variable.type === 'CHAR' || variable.type === 'UCHAR';
      expect(fill.type, variable.name).toBe(text ? 'CHAR' : variable.type);
      const expected = text ? ' ' : asReaderValues(variable.type, [variable.attributes!.FILLVAL].flat() as ArrayLike<unknown>);
      expect(fill.value, variable.name).toEqual(expected);
    }
  });

  it.runIf(withJcdf)('gives JCDF the same variables, values and attributes', () => {
    const listing = jcdfList(fileName(file));
    const problems: string[] = [];
    for (const variable of variables) {
      const listed = listing.variables.find((v) => v.name === variable.name);
      if (!listed) {
        problems.push(`${variable.name}: not listed by JCDF`);
        continue;
      }
      expect(listed).toMatchObject({ type: variable.type, kind: 'z', dimensions: variable.dims ?? [] });
      problems.push(...jcdfVariableProblems(listed, variable, file.majority));
      const written = Object.keys(variable.attributes ?? {});
      expect(listed.attributes.map((a) => a.name), variable.name).toEqual(written);
      for (const attribute of listed.attributes) {
        const mine = cdf.variable(variable.name).attributes[attribute.name]!;
        const problem = jcdfMismatch(attribute.text, mine.value, mine.type);
        if (problem) problems.push(`${variable.name} ${attribute.name}: ${problem}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it.runIf(withJcdf)('gives JCDF the same global attribute entries', () => {
    const listing = jcdfList(fileName(file));
    const problems: string[] = [];
    for (const attribute of cdf.globalAttributes) {
      const listed = listing.globalAttributes.find((a) => a.name === attribute.name);
      expect(listed?.entries.length, attribute.name).toBe(attribute.entries.length);
      attribute.entries.forEach((entry, i) => {
        const problem = jcdfMismatch(listed!.entries[i]!, entry.value, entry.type);
        if (problem) problems.push(`${attribute.name}[${i}]: ${problem}`);
      });
    }
    expect(problems).toEqual([]);
  });
});

describe.runIf(withJcdf)('the many-block variables', () => {
  it(`index ${MANY_RECORDS} one-record blocks with VXRs that point to VXRs`, () => {
    const dump = jcdfDump(fileName(FILES[0]), true);
    const vxrOffsets = new Set([...dump.matchAll(/^\d+:\tVXR\t6\t\d+\t(0x[0-9a-f]+)$/gm)].map((m) => Number(m[1])));
    const pointed = [...dump.matchAll(/^ {4}offset: +(.*)$/gm)].flatMap((m) => m[1]!.split(', ').map(Number));
    expect(pointed.filter((offset) => vxrOffsets.has(offset)).length).toBeGreaterThan(0);
  });
});
