/**
 * A fresh byte array (own ArrayBuffer, offset 0, so typed views on it are aligned) that is not
 * zero-filled: for buffers the caller overwrites entirely (read targets, decoded records), where
 * zeroing would only cost a pass over memory.
 */
export function uninitializedBytes(length: number): Uint8Array {
  const buffer = Buffer.allocUnsafeSlow(length);
  return new Uint8Array(buffer.buffer, buffer.byteOffset, length);
}
