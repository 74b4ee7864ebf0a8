import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { idl, IdlSaveFormatError, IdlValueError, plainValue, readIdlSave, writeIdlSave, type IdlValue } from './index.js';

const roundTrip = (value: IdlValue) => readIdlSave(writeIdlSave({ v: value })).variables.get('V');

/** The same file with each record's body zlib-compressed, as IDL's /COMPRESS writes it. */
function compress(plain: Uint8Array): Uint8Array {
  const view = new DataView(plain.buffer, plain.byteOffset, plain.byteLength);
  const parts: Buffer[] = [Buffer.from('SR\x00\x06', 'latin1')];
  let length = 4;
  for (let pos = 4; ; ) {
    const type = view.getInt32(pos);
    const next = view.getUint32(pos + 4);
    if (type === 6) {
      parts.push(Buffer.from(plain.subarray(pos, pos + 16)));
      return Buffer.concat(parts);
    }
    const body = deflateSync(plain.subarray(pos + 16, next));
    const header = Buffer.alloc(16);
    header.writeInt32BE(type, 0);
    header.writeUInt32BE(length + 16 + body.length, 4);
    parts.push(header, body);
    length += 16 + body.length;
    pos = next;
  }
}

describe('IDL SAVE writer and reader', () => {
  it('keeps every basic type, scalar and array, with its IDL type and value', () => {
    const cases: IdlValue[] = [
      idl.byte(255), idl.int(-32768), idl.long(-2147483648), idl.float(1.5), idl.double(-2.25e-300), idl.complex({ re: 1, im: -2 }),
      idl.dcomplex({ re: 1e300, im: 0.5 }), idl.string('It’s a FOM'), idl.uint(65535), idl.ulong(4294967295), idl.long64(-(2n ** 63n)), idl.ulong64(2n ** 64n - 1n),
      idl.byteArray([0, 1, 255]), idl.intArray([-1, 2, 32767]), idl.longArray([7]), idl.floatArray([0.25, -3]), idl.doubleArray([Math.PI]),
      idl.stringArray(['a', '', 'a much longer string']), idl.uintArray([0, 65535]), idl.ulongArray([1612657540, 4294967295]),
      idl.long64Array([1n, -1n]), idl.ulong64Array([0n, 18446744073709551615n]), idl.complexArray([{ re: 1, im: 2 }]),
    ];
    for (const value of cases) expect(roundTrip(value)).toEqual(value);
  });

  it('keeps the dimensions of a multi-dimensional array, first dimension fastest', () => {
    const value = idl.longArray([0, 1, 2, 3, 4, 5], [3, 2]);
    expect(roundTrip(value)).toEqual({ kind: 'array', type: 'long', dims: [3, 2], values: [0, 1, 2, 3, 4, 5] });
  });

  it('keeps structures: arrays in structures, nested structures, arrays of structures, named structures', () => {
    const fomstr = idl.struct({
      VALID: idl.long(1), SOURCEID: idl.stringArray(['ABS', 'sam(EVA)']), FOM: idl.floatArray([150, 90.5]), TIMESTAMPS: idl.ulongArray([1812824440, 1812824450]),
      INNER: idl.struct({ A: idl.int(3), B: idl.struct({ DEEP: idl.doubleArray([1, 2]) }) }),
    });
    expect(roundTrip(fomstr)).toEqual(fomstr);
    const rows = idl.structArray([{ ID: idl.string('0'), FOM: idl.float(2) }, { ID: idl.string('1'), FOM: idl.float(3) }], 'CHANGE');
    expect(roundTrip(rows)).toEqual(rows);
    expect(plainValue(roundTrip(rows)!)).toEqual([{ ID: '0', FOM: 2 }, { ID: '1', FOM: 3 }]);
    expect(plainValue(roundTrip(fomstr)!)).toMatchObject({ VALID: 1, INNER: { A: 3, B: { DEEP: [1, 2] } } });
  });

  it('upper-cases variable and tag names as IDL does, and keeps several variables in order', () => {
    const file = readIdlSave(writeIdlSave({ fomstr: idl.struct({ nsegs: idl.long(2) }), note: idl.string('n') }, { date: new Date('2015-06-12T17:20:05Z'), user: 'sdc', host: 'h' }));
    expect([...file.variables.keys()]).toEqual(['FOMSTR', 'NOTE']);
    expect(plainValue(file.variables.get('FOMSTR')!)).toEqual({ NSEGS: 2 });
    expect(file).toMatchObject({ compressed: false, timestamp: { date: 'Fri Jun 12 17:20:05 2015', user: 'sdc', host: 'h' }, version: { format: 9, release: '8.0' } });
  });

  it('reads the compressed variant (/COMPRESS)', () => {
    const value = idl.struct({ MDQ: idl.floatArray(Array.from({ length: 500 }, (_, i) => i % 7)), NOTE: idl.string('compressed') });
    const file = readIdlSave(compress(writeIdlSave({ fomstr: value })));
    expect(file.compressed).toBe(true);
    expect(file.variables.get('FOMSTR')).toEqual(value);
  });

  it('refuses values IDL cannot hold, naming where they are', () => {
    const write = (value: IdlValue) => () => writeIdlSave({ fomstr: idl.struct({ START: value }) });
    expect(write(idl.byte(256))).toThrow(new IdlValueError('a byte is an integer from 0 to 255, got number 256', 'FOMSTR.START'));
    expect(write(idl.intArray([1, 40000]))).toThrow('FOMSTR.START[1]: a int is an integer from -32768 to 32767, got number 40000');
    expect(write(idl.ulong(-1))).toThrow(IdlValueError);
    expect(write(idl.ulong64(2n ** 64n))).toThrow(IdlValueError);
    expect(write(idl.float('x'))).toThrow('FOMSTR.START: a number is needed');
    expect(write(idl.longArray([]))).toThrow('FOMSTR.START: dimensions must be positive integers (IDL has no empty arrays), got [0]');
    expect(write(idl.longArray([1, 2], [3]))).toThrow('dimensions [3] hold 3 elements, the value has 2');
    expect(() => writeIdlSave({ s: idl.structArray([{ A: idl.long(1) }, { A: idl.float(1) }]) })).toThrow('S: element 1 has other tags, types or dimensions than element 0');
    expect(() => writeIdlSave({ s: idl.structArray([{ A: idl.stringArray(['x']) }, { A: idl.stringArray(['x', 'y']) }]) })).toThrow(IdlValueError);
    expect(() => writeIdlSave({ 'not a name': idl.long(1) })).toThrow("'not a name' is not an IDL variable name");
    expect(() => writeIdlSave({ s: idl.struct({}) })).toThrow('S: a structure needs at least one tag');
  });

  it('refuses a file that is not an IDL SAVE file', () => {
    expect(() => readIdlSave(Buffer.from('{"VALID":1}'))).toThrow(new IdlSaveFormatError('not-idl-save', "no IDL SAVE signature ('SR') at the start", 0));
    expect(() => readIdlSave(Buffer.from('SR\x00\x09', 'latin1'))).toThrow(/record format 9/);
  });

  it('refuses every truncation of a file with a typed error, never anything else', () => {
    const bytes = writeIdlSave({ fomstr: idl.struct({ START: idl.longArray([1, 2]), NAME: idl.stringArray(['abc', '']), N: idl.struct({ X: idl.double(1) }) }) });
    for (const length of [0, 3, 4, 10, 100, 1100, bytes.length - 20, bytes.length - 16, bytes.length - 1]) {
      let thrown: unknown;
      try {
        readIdlSave(bytes.subarray(0, length));
      } catch (error) {
        thrown = error;
      }
      expect(thrown, `cut at ${length}`).toBeInstanceOf(IdlSaveFormatError);
    }
    expect(() => readIdlSave(bytes.subarray(0, bytes.length - 16))).toThrow(/ends \(\d+ bytes\) before its END_MARKER record/);
    const cut = compress(bytes);
    expect(() => readIdlSave(cut.subarray(0, cut.length - 30))).toThrow(IdlSaveFormatError);
  });

  it('refuses corrupt bytes with a typed error (or reads them), never crashing otherwise', () => {
    const bytes = writeIdlSave({ fomstr: idl.struct({ START: idl.longArray([1, 2]), NAME: idl.stringArray(['abc', '']), B: idl.byteArray([1]), N: idl.structArray([{ X: idl.double(1) }]) }) });
    for (let at = 4; at < bytes.length; at += 1) {
      for (const byte of [0xff, 0x7f, 0x01]) {
        const corrupt = Uint8Array.from(bytes);
        corrupt[at] = byte;
        try {
          readIdlSave(corrupt);
        } catch (error) {
          expect(error, `byte ${at} set to ${byte}: ${String(error)}`).toBeInstanceOf(IdlSaveFormatError);
        }
      }
    }
  });

  it('bounds what a compressed file may expand to', () => {
    const bytes = compress(writeIdlSave({ zeros: idl.byteArray(new Array(100_000).fill(0)) }));
    expect(() => readIdlSave(bytes, { maxBytes: 10_000 })).toThrow(expect.objectContaining({ kind: 'too-large' }));
  });
});
