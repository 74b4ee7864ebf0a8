/**
 * In-place byte swaps of aligned buffers, for big-endian files read on a little-endian host.
 * Word-wise integer shuffles avoid a DataView call per value.
 */
export function swapBytesInPlace(bytes: Uint8Array, width: number): void {
  if (width === 2) swap16(new Uint16Array(bytes.buffer, bytes.byteOffset, bytes.length >>> 1));
  else if (width === 4) swap32(new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.length >>> 2));
  else if (width === 8) swap64(new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.length >>> 2));
}

function swap16(words: Uint16Array): void {
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    words[i] = ((w & 0xff) << 8) | (w >>> 8);
  }
}

function swap32(words: Uint32Array): void {
  for (let i = 0; i < words.length; i++) words[i] = bswap32(words[i]!);
}

function swap64(words: Uint32Array): void {
  for (let i = 0; i + 1 < words.length; i += 2) {
    const low = words[i]!;
    words[i] = bswap32(words[i + 1]!);
    words[i + 1] = bswap32(low);
  }
}

function bswap32(w: number): number {
  return ((w & 0xff) << 24) | ((w & 0xff00) << 8) | ((w >>> 8) & 0xff00) | (w >>> 24);
}
