import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { openCdf, type CdfReader, type CdfValues } from '../../../src/cdf/index.js';
import { columnMajorPrintOrder, jcdfAvailable, jcdfList, jcdfMismatch, type JcdfListing } from '../../support/jcdf.js';

const FIXTURES = fileURLToPath(new URL('../../fixtures/cdf/', import.meta.url));
const files = readdirSync(FIXTURES).filter((f) => f.endsWith('.cdf')).sort();
const available = jcdfAvailable();
if (!available && process.env.CI === 'true') throw new Error('JCDF (libjcdf-java) must be installed in CI');

describe.skipIf(!available).each(files)('reading %s gives what JCDF prints', (file) => {
  let listing: JcdfListing;
  let cdf: CdfReader;
  beforeAll(() => {
    listing = jcdfList(path.join(FIXTURES, file));
    cdf = openCdf(path.join(FIXTURES, file));
    return () => cdf.close();
  });

  it('has the same global attributes with the same entries', () => {
    expect(cdf.globalAttributes.map((a) => a.name).sort()).toEqual(listing.globalAttributes.map((a) => a.name).sort());
    for (const expected of listing.globalAttributes) {
      const mine = cdf.globalAttribute(expected.name)!;
      const present = expected.entries.flatMap((text, index) => (text === null ? [] : [index]));
      expect(mine.entries.map((e) => e.index), expected.name).toEqual(present);
      for (const entry of mine.entries) {
        const problem = jcdfMismatch(expected.entries[entry.index]!, entry.value, entry.type);
        expect(problem, `${expected.name}[${entry.index}]`).toBeUndefined();
      }
    }
  });

  it('has the same variables, types, shapes and variable attributes', () => {
    expect(cdf.variables.map((v) => v.name).sort()).toEqual(listing.variables.map((v) => v.name).sort());
    for (const expected of listing.variables) {
      const mine = cdf.variable(expected.name);
      expect({ type: mine.type, kind: mine.kind, dims: mine.dimensions, rv: mine.recordVariance, dv: mine.dimensionVariance }).toEqual({
        type: expected.type,
        kind: expected.kind,
        dims: expected.dimensions,
        rv: expected.recordVariance,
        dv: expected.dimensionVariance,
      });
      expect(Object.keys(mine.attributes).sort(), expected.name).toEqual(expected.attributes.map((a) => a.name).sort());
      for (const { name, text } of expected.attributes) {
        const entry = mine.attributes[name]!;
        expect(jcdfMismatch(text, entry.value, entry.type), `${expected.name}.${name}`).toBeUndefined();
      }
    }
  });

  it('reads every record of every variable as JCDF does (gaps of previous-sparse variables excepted)', () => {
    for (const expected of listing.variables) {
      const variable = cdf.variable(expected.name);
      const { values, shape } = cdf.read(expected.name);
      const perRecord = variable.dimensions.reduce((a, b) => a * b, 1);
      const order = cdf.file.majority === 'column' ? columnMajorPrintOrder(variable.dimensions) : undefined;
      const lastPrinted = expected.records.at(-1)?.index ?? -1;
      expect(shape[0], `${expected.name} record count`).toBe(Math.max(lastPrinted + 1, variable.recordVariance ? 0 : shape[0]!));
      for (const record of expected.records) {
        if (record.kind === 'virtual' && variable.sparseRecords === 'previous') continue;
        const problem = jcdfMismatch(record.text, values as CdfValues, variable.type, record.index * perRecord, perRecord, order);
        expect(problem, `${expected.name} record ${record.index}`).toBeUndefined();
      }
    }
  });
});
