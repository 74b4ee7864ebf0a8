/**
 * CDR Encoding codes and the byte order of their data values (JCDF `NumericEncoding`; cdflib
 * `_endian`). VAX (3) and the Alpha VMS D/G_FLOAT encodings (14, 15) store floats in DEC formats
 * this reader does not decode; HOST (8) is never stored in a file.
 */
const LITTLE_ENDIAN = new Set([4, 6, 13, 16, 17]);
const BIG_ENDIAN = new Set([1, 2, 5, 7, 9, 11, 12, 18]);
const DEC_FLOAT = new Map([
  [3, 'VAX (D_FLOAT)'],
  [14, 'ALPHAVMSd (D_FLOAT)'],
  [15, 'ALPHAVMSg (G_FLOAT)'],
]);

/** Byte order of an encoding, or a reason it cannot be read. */
export function encodingByteOrder(code: number): { littleEndian: boolean } | { unsupported: string } {
  if (LITTLE_ENDIAN.has(code)) return { littleEndian: true };
  if (BIG_ENDIAN.has(code)) return { littleEndian: false };
  const dec = DEC_FLOAT.get(code);
  if (dec) return { unsupported: `encoding ${code} ${dec} uses DEC floating point, which this reader does not decode` };
  return { unsupported: `encoding ${code} is not a CDF data encoding` };
}
