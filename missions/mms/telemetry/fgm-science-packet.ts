/**
 * The magnetometer science packet of the example chain: a range byte, a sample count, then
 * that many (Bx, By, Bz) raw counts as big-endian int16, sampled at `SAMPLE_RATE` per second
 * from the packet time.
 */
export const FGM_APID = 0x101;
export const SAMPLE_RATE = 1;
export const SAMPLES_PER_PACKET = 60;

export interface FgmSamples {
  range: number;
  /** counts[i * 3 + axis] */
  counts: Int16Array;
}

export function encodeFgmData(samples: FgmSamples): Uint8Array {
  const n = samples.counts.length / 3;
  const out = new Uint8Array(2 + n * 6);
  const view = new DataView(out.buffer);
  out[0] = samples.range;
  out[1] = n;
  for (let i = 0; i < samples.counts.length; i++) view.setInt16(2 + i * 2, samples.counts[i] ?? 0);
  return out;
}

export function decodeFgmData(data: Uint8Array): FgmSamples {
  if (data.length < 2) throw new Error('FGM packet data shorter than its header');
  const n = data[1] ?? 0;
  if (data.length !== 2 + n * 6) throw new Error(`FGM packet declares ${n} samples but holds ${data.length - 2} bytes`);
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const counts = new Int16Array(n * 3);
  for (let i = 0; i < counts.length; i++) counts[i] = view.getInt16(2 + i * 2);
  return { range: data[0] ?? 0, counts };
}
