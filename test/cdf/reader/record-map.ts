/**
 * Lists the internal records of a plain CDF 3 file (they tile the file from offset 8), so that
 * corruption tests can damage a chosen field of a chosen record.
 */
export interface MappedRecord {
  readonly offset: number;
  readonly size: number;
  readonly type: number;
}

export function mapRecords(bytes: Uint8Array): MappedRecord[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const records: MappedRecord[] = [];
  for (let offset = 8; offset + 12 <= bytes.length; ) {
    const size = Number(view.getBigInt64(offset, false));
    if (size <= 0) break;
    records.push({ offset, size, type: view.getInt32(offset + 8, false) });
    offset += size;
  }
  return records;
}

export function setInt32(bytes: Uint8Array, offset: number, value: number): void {
  new DataView(bytes.buffer, bytes.byteOffset).setInt32(offset, value, false);
}

export function setInt64(bytes: Uint8Array, offset: number, value: number): void {
  new DataView(bytes.buffer, bytes.byteOffset).setBigInt64(offset, BigInt(value), false);
}

export function getInt32(bytes: Uint8Array, offset: number): number {
  return new DataView(bytes.buffer, bytes.byteOffset).getInt32(offset, false);
}
