import { describe, expect, it } from 'vitest';
import type { CdfSchema } from './cdf-schema.js';
import { CdfWriteError } from './cdf-write-error.js';
import { planSchema } from './schema-planner.js';

function errorOf(schema: CdfSchema): CdfWriteError {
  try {
    planSchema(schema, 'x.cdf');
  } catch (error) {
    if (error instanceof CdfWriteError) return error;
    throw error;
  }
  throw new Error('expected a CdfWriteError');
}

describe('planSchema', () => {
  it('numbers global attributes first, then variable attributes in order of first use', () => {
    const plan = planSchema(
      {
        globalAttributes: { Project: 'p', TEXT: ['a', 'b'] },
        variables: [
          { name: 'Epoch', type: 'TIME_TT2000', attributes: { CATDESC: 't' } },
          { name: 'B', type: 'REAL4', attributes: { FILLVAL: -1e31, CATDESC: 'b' } },
        ],
      },
      'x.cdf',
    );
    expect(plan.attributes.map((a) => [a.name, a.num, a.global])).toEqual([
      ['Project', 0, true],
      ['TEXT', 1, true],
      ['CATDESC', 2, false],
      ['FILLVAL', 3, false],
    ]);
    expect(plan.attributes[1]!.entries.map((e) => e.num)).toEqual([0, 1]);
    expect(plan.attributes[2]!.entries.map((e) => e.num)).toEqual([0, 1]);
  });

  it('gives numeric variable attributes the type of their numeric variable', () => {
    const plan = planSchema(
      { variables: [{ name: 'n', type: 'UINT2', dims: [2], attributes: { FILLVAL: 65535, VALIDMIN: [0, 1] } }] },
      'x.cdf',
    );
    const [fill, min] = plan.attributes;
    expect(fill!.entries[0]).toMatchObject({ dataType: 12, numElems: 1 });
    expect(min!.entries[0]).toMatchObject({ dataType: 12, numElems: 2 });
  });

  it('infers global entry types: text CHAR, int32 INT4, other numbers DOUBLE, bigint INT8, typed arrays their kind', () => {
    const plan = planSchema(
      { globalAttributes: { A: ['text', 7, 0.5, 9n, new Int16Array([1, 2]), { type: 'UINT1', value: [3] }] }, variables: [] },
      'x.cdf',
    );
    expect(plan.attributes[0]!.entries.map((e) => [e.dataType, e.numElems])).toEqual([
      [51, 4],
      [4, 1],
      [45, 1],
      [8, 1],
      [2, 2],
      [11, 1],
    ]);
  });

  it('stores an empty string entry as one NUL byte', () => {
    const plan = planSchema({ globalAttributes: { Empty: '' }, variables: [] }, 'x.cdf');
    expect(plan.attributes[0]!.entries[0]).toMatchObject({ numElems: 1, value: new Uint8Array([0]) });
  });

  it('sizes the default blocking factor to the record size', () => {
    const plan = planSchema(
      {
        variables: [
          { name: 'a', type: 'DOUBLE' },
          { name: 'b', type: 'DOUBLE', compression: { type: 'gzip' } },
          { name: 'c', type: 'DOUBLE', blockingFactor: 10 },
        ],
      },
      'x.cdf',
    );
    expect(plan.variables.map((v) => v.blockingFactor)).toEqual([131072, 32768, 10]);
  });

  it('encodes the default pad of the type, and a given pad value', () => {
    const plan = planSchema(
      {
        variables: [
          { name: 'a', type: 'INT2' },
          { name: 'b', type: 'CHAR', numElems: 3 },
          { name: 'c', type: 'INT2', padValue: -5 },
        ],
      },
      'x.cdf',
    );
    expect(plan.variables.map((v) => [...v.pad])).toEqual([[0x01, 0x80], [32, 32, 32], [0xfb, 0xff]]);
  });

  it('rejects an unknown data type', () => {
    expect(errorOf({ variables: [{ name: 'a', type: 'REAL16' as never }] }).kind).toBe('unknown-type');
  });

  it('rejects a name longer than 256 bytes', () => {
    const error = errorOf({ variables: [{ name: 'x'.repeat(257), type: 'INT1' }] });
    expect(error.kind).toBe('invalid-name');
    expect(error.message).toContain('257 bytes');
  });

  it('rejects an attribute name with a control character', () => {
    expect(errorOf({ globalAttributes: { 'a\nb': 'x' }, variables: [] }).kind).toBe('invalid-name');
  });

  it('rejects two variables with one name', () => {
    expect(errorOf({ variables: [{ name: 'a', type: 'INT1' }, { name: 'a', type: 'INT2' }] }).kind).toBe('duplicate-name');
  });

  it('rejects an attribute used both globally and on a variable', () => {
    const error = errorOf({ globalAttributes: { UNITS: 'x' }, variables: [{ name: 'a', type: 'INT1', attributes: { UNITS: 'nT' } }] });
    expect(error.kind).toBe('duplicate-name');
    expect(error.message).toContain('UNITS');
  });

  it('rejects a CHAR variable without numElems and a numeric one with numElems', () => {
    expect(errorOf({ variables: [{ name: 'a', type: 'CHAR' }] }).kind).toBe('invalid-definition');
    expect(errorOf({ variables: [{ name: 'a', type: 'INT4', numElems: 2 }] }).kind).toBe('invalid-definition');
  });

  it('rejects bad dimensions, compression and blocking factor', () => {
    expect(errorOf({ variables: [{ name: 'a', type: 'INT1', dims: [0] }] }).kind).toBe('invalid-definition');
    expect(errorOf({ variables: [{ name: 'a', type: 'INT1', dims: new Array(11).fill(1) }] }).kind).toBe('invalid-definition');
    expect(errorOf({ variables: [{ name: 'a', type: 'INT1', compression: { type: 'gzip', level: 10 } }] }).kind).toBe(
      'invalid-definition',
    );
    expect(errorOf({ variables: [{ name: 'a', type: 'INT1', blockingFactor: 0 }] }).kind).toBe('invalid-definition');
  });

  it('rejects a variable attribute value that does not fit the variable type', () => {
    const error = errorOf({ variables: [{ name: 'a', type: 'INT1', attributes: { FILLVAL: -1e31 } }] });
    expect(error.kind).toBe('value-out-of-range');
    expect(error.details).toMatchObject({ variable: 'a', attribute: 'FILLVAL' });
  });

  it('rejects a pad value of the wrong shape', () => {
    expect(errorOf({ variables: [{ name: 'a', type: 'EPOCH16', padValue: 1 }] }).kind).toBe('wrong-shape');
  });
});
