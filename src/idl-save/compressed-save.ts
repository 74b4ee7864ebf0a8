import { inflateSync } from 'node:zlib';
import { IdlSaveFormatError } from './idl-save-error.js';
import { XdrSink } from './xdr-sink.js';

const END_MARKER = 6;
const HEADER = 16;

/**
 * Expands a compressed SAVE file (IDL's /COMPRESS: record headers in clear, each record's body
 * a zlib stream) into the uncompressed image, record links rewritten, so one parser reads both.
 * `maxBytes` bounds the expanded size (a small file may inflate to gigabytes).
 */
export function expandCompressedSave(data: Uint8Array, maxBytes: number): Uint8Array {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const out = new XdrSink();
  out.bytes(Uint8Array.of(0x53, 0x52, 0x00, 0x04));
  let pos = 4;
  for (;;) {
    if (pos + HEADER > data.length) throw new IdlSaveFormatError('truncated', 'the file ends before its END_MARKER record', pos);
    const type = view.getInt32(pos);
    const next = view.getUint32(pos + 4) + view.getUint32(pos + 8) * 2 ** 32;
    out.int32(type);
    if (type === END_MARKER) {
      out.bytes(data.subarray(pos + 4, pos + HEADER));
      return out.result();
    }
    if (next > data.length) throw new IdlSaveFormatError('truncated', `the record runs to offset ${next}, past the end of the file (${data.length} bytes)`, pos, `type ${type}`);
    if (next <= pos + HEADER) throw new IdlSaveFormatError('bad-record', `the record's link (${next}) does not point past its header`, pos, `type ${type}`);
    const body = inflate(data.subarray(pos + HEADER, next), maxBytes - out.length, pos, type);
    const link = out.length + 12 + body.length;
    out.uint32(link % 2 ** 32);
    out.uint32(Math.floor(link / 2 ** 32));
    out.bytes(data.subarray(pos + 12, pos + HEADER));
    out.bytes(body);
    pos = next;
  }
}

function inflate(body: Uint8Array, room: number, pos: number, type: number): Uint8Array {
  if (room <= 0) throw new IdlSaveFormatError('too-large', 'the expanded file is larger than the limit', pos, `type ${type}`);
  try {
    return inflateSync(body, { maxOutputLength: room });
  } catch (error) {
    const tooLarge = (error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE';
    throw new IdlSaveFormatError(tooLarge ? 'too-large' : 'inflate-failed', tooLarge ? 'the expanded file is larger than the limit' : `the compressed record does not inflate: ${(error as Error).message}`, pos, `type ${type}`, { cause: error });
  }
}
