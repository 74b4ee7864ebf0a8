/**
 * CCSDS space packets as the MMS Level 0 files carry them: a 6-byte primary header, a 6-byte
 * secondary header holding the packet time (CUC: TAI seconds since 1958-01-01 and 1/65536 s),
 * and the application data.
 */
export interface SpacePacket {
  apid: number;
  sequenceCount: number;
  /** TAI seconds since 1958-01-01, with fraction. */
  taiSeconds: number;
  data: Uint8Array;
}

const PRIMARY = 6;
const SECONDARY = 6;

export function encodePacket(packet: SpacePacket): Uint8Array {
  const out = new Uint8Array(PRIMARY + SECONDARY + packet.data.length);
  const view = new DataView(out.buffer);
  view.setUint16(0, (0b000 << 13) | (0 << 12) | (1 << 11) | (packet.apid & 0x7ff));
  view.setUint16(2, (0b11 << 14) | (packet.sequenceCount & 0x3fff));
  view.setUint16(4, SECONDARY + packet.data.length - 1);
  const seconds = Math.floor(packet.taiSeconds);
  view.setUint32(6, seconds);
  view.setUint16(10, Math.round((packet.taiSeconds - seconds) * 65536) & 0xffff);
  out.set(packet.data, PRIMARY + SECONDARY);
  return out;
}

/** Decodes every packet of a Level 0 file; throws on a truncated or malformed packet. */
export function* decodePackets(bytes: Uint8Array): Generator<SpacePacket> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = 0;
  while (offset < bytes.length) {
    if (offset + PRIMARY + SECONDARY > bytes.length) throw new Error(`truncated packet header at byte ${offset}`);
    const id = view.getUint16(offset);
    if (id >> 13 !== 0 || ((id >> 11) & 1) !== 1) throw new Error(`not a CCSDS packet with a secondary header at byte ${offset}`);
    const length = view.getUint16(offset + 4) + 1;
    const end = offset + PRIMARY + length;
    if (end > bytes.length) throw new Error(`packet at byte ${offset} runs past the end of the file`);
    yield {
      apid: id & 0x7ff,
      sequenceCount: view.getUint16(offset + 2) & 0x3fff,
      taiSeconds: view.getUint32(offset + 6) + view.getUint16(offset + 10) / 65536,
      data: bytes.subarray(offset + PRIMARY + SECONDARY, end),
    };
    offset = end;
  }
}
