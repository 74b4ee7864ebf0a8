import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CdfFormatError, CdfUsageError, openCdf, type CdfFormatErrorKind } from '../../../src/cdf/index.js';
import { getInt32, mapRecords, setInt32, setInt64 } from './record-map.js';

const FIXTURES = fileURLToPath(new URL('../../fixtures/cdf/', import.meta.url));
const NAME = 'broken.cdf';
const ADR = 4;
const VXR = 6;
const VVR = 7;
const CPR = 11;
const CVVR = 13;

function fixture(file: string): Uint8Array {
  return new Uint8Array(readFileSync(FIXTURES + file));
}

/** Opens the damaged bytes and reads every variable; returns the error thrown. */
function failureOf(bytes: Uint8Array): unknown {
  try {
    const cdf = openCdf(bytes, { name: NAME });
    for (const variable of cdf.variables) cdf.read(variable.name);
    cdf.metadata();
  } catch (error) {
    return error;
  }
  return undefined;
}

function expectFormatError(error: unknown, kind: CdfFormatErrorKind, recordType?: string, offset?: number): void {
  expect(error).toBeInstanceOf(CdfFormatError);
  const e = error as CdfFormatError;
  expect(e.kind, e.message).toBe(kind);
  expect(e.file).toBe(NAME);
  expect(e.message).toContain(NAME);
  expect(e.message).toContain(`offset ${e.offset}`);
  if (recordType !== undefined) expect(e.recordType).toBe(recordType);
  if (offset !== undefined) expect(e.offset).toBe(offset);
}

describe('typed errors for damaged files', () => {
  it('refuses a wrong magic number', () => {
    const bytes = fixture('jcdf_example1.cdf');
    bytes[0] = 0x12;
    expectFormatError(failureOf(bytes), 'bad-magic', 'magic', 0);
  });

  it('refuses a file truncated inside its descriptors', () => {
    expectFormatError(failureOf(fixture('jcdf_example1.cdf').slice(0, 700)), 'truncated', 'GDR', 320);
    expectFormatError(failureOf(fixture('jcdf_example1.cdf').slice(0, 330)), 'truncated', 'GDR', 320);
    expectFormatError(failureOf(fixture('jcdf_example1.cdf').slice(0, 5)), 'truncated', 'magic', 0);
  });

  it.each([3, 14, 15])('refuses the DEC floating-point encoding %i', (encoding) => {
    const bytes = fixture('jcdf_example1.cdf');
    setInt32(bytes, 8 + 28, encoding);
    expectFormatError(failureOf(bytes), 'unsupported-encoding', 'CDR', 8);
  });

  it('refuses an offset outside the file', () => {
    const bytes = fixture('jcdf_example1.cdf');
    setInt64(bytes, 8 + 12, 10 ** 9);
    expectFormatError(failureOf(bytes), 'offset-out-of-range', 'GDR', 10 ** 9);
  });

  it.each([0, -12])('refuses a record size of %i', (size) => {
    const bytes = fixture('jcdf_example1.cdf');
    const gdr = mapRecords(bytes)[1]!;
    setInt64(bytes, gdr.offset, size);
    expectFormatError(failureOf(bytes), 'bad-record-size', 'GDR', gdr.offset);
  });

  it('stops at an attribute chain that loops back on itself', () => {
    const bytes = fixture('jcdf_test.cdf');
    const adr = mapRecords(bytes).find((r) => r.type === ADR)!;
    setInt64(bytes, adr.offset + 12, adr.offset);
    expectFormatError(failureOf(bytes), 'chain-loop', 'ADR', adr.offset);
  });

  it('stops at a VXR chain that loops back on itself', () => {
    const bytes = fixture('jcdf_test.cdf');
    const vxr = mapRecords(bytes).find((r) => r.type === VXR)!;
    setInt64(bytes, vxr.offset + 12, vxr.offset);
    expectFormatError(failureOf(bytes), 'chain-loop', 'VXR', vxr.offset);
  });

  it('refuses a compressed block that does not inflate', () => {
    const bytes = fixture('jcdf_example1.cdf');
    const cvvr = mapRecords(bytes).find((r) => r.type === CVVR)!;
    bytes.fill(0xff, cvvr.offset + 40, cvvr.offset + 80);
    expectFormatError(failureOf(bytes), 'inflate-failed', 'CVVR', cvvr.offset);
  });

  it('refuses a compressed block that inflates to another size than its records need', () => {
    const bytes = fixture('jcdf_example1.cdf');
    const records = mapRecords(bytes);
    const cvvr = records.find((r) => r.type === CVVR)!;
    const vxr = records.find((r) => r.type === VXR && pointsTo(bytes, r.offset, cvvr.offset))!;
    const entries = getInt32(bytes, vxr.offset + 20);
    const lastField = vxr.offset + 28 + 4 * entries;
    setInt32(bytes, lastField, getInt32(bytes, lastField) + 1);
    expectFormatError(failureOf(bytes), 'inflate-size', 'CVVR', cvvr.offset);
  });

  it('reports Huffman-compressed variables as unsupported', () => {
    const bytes = fixture('jcdf_example1.cdf');
    const cpr = mapRecords(bytes).find((r) => r.type === CPR)!;
    setInt32(bytes, cpr.offset + 12, 2);
    expectFormatError(failureOf(bytes), 'unsupported-compression', 'CVVR');
  });

  it('refuses a file older than CDF 2.6', () => {
    const bytes = fixture('jcdf_example1.cdf');
    setInt32(bytes, 0, 0x0000ffff);
    expectFormatError(failureOf(bytes), 'bad-magic', 'magic', 0);
  });
});

describe('MD5 verification on request', () => {
  it('verifies an intact checksummed file', () => {
    const cdf = openCdf(fixture('jcdf_test.cdf'), { verifyChecksum: true });
    expect(cdf.file.hasChecksum).toBe(true);
    expect(cdf.verifyChecksum()).toBe(true);
  });

  it('returns false for a file without a checksum', () => {
    expect(openCdf(fixture('jcdf_example1.cdf')).verifyChecksum()).toBe(false);
  });

  it('detects one changed data byte', () => {
    const bytes = fixture('jcdf_test.cdf');
    const vvr = mapRecords(bytes).find((r) => r.type === VVR)!;
    bytes[vvr.offset + 12] = bytes[vvr.offset + 12]! ^ 0x01;
    expect(() => openCdf(bytes, { name: NAME }).verifyChecksum()).toThrow(CdfFormatError);
    expectFormatError(catching(() => openCdf(bytes, { name: NAME, verifyChecksum: true })), 'checksum-mismatch', 'MD5');
  });
});

describe('usage errors', () => {
  it('names an unknown variable, a record range outside the variable and a closed file', () => {
    const cdf = openCdf(FIXTURES + 'jcdf_example1.cdf');
    expect(catching(() => cdf.read('nope'))).toMatchObject({ kind: 'unknown-variable' });
    const name = cdf.variables[0]!.name;
    expect(catching(() => cdf.read(name, { first: 5, last: 2 }))).toMatchObject({ kind: 'bad-record-range' });
    expect(catching(() => cdf.read(name, { last: 10 ** 9 }))).toMatchObject({ kind: 'bad-record-range' });
    cdf.close();
    const closed = catching(() => cdf.read(name));
    expect(closed).toBeInstanceOf(CdfUsageError);
    expect(closed).toMatchObject({ kind: 'closed' });
  });
});

function pointsTo(bytes: Uint8Array, vxrOffset: number, target: number): boolean {
  const view = new DataView(bytes.buffer, bytes.byteOffset);
  const entries = view.getInt32(vxrOffset + 20, false);
  const used = view.getInt32(vxrOffset + 24, false);
  for (let i = 0; i < used; i++) {
    if (Number(view.getBigInt64(vxrOffset + 28 + 8 * entries + 8 * i, false)) === target) return true;
  }
  return false;
}

function catching(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  return undefined;
}
