/**
 * Reads the demo's ancillary text tables (a header line, then `ISO-time v1 v2 v3` rows) and
 * interpolates them linearly at TT2000 times.
 */
import { readFile } from 'node:fs/promises';
import { isoToTt2000 } from '../../../src/cdf/index.js';

export interface AncillaryTable {
  times: number[];
  rows: number[][];
}

export async function readAncillaryTable(file: string): Promise<AncillaryTable> {
  const lines = (await readFile(file, 'utf8')).split('\n').slice(1).filter((l) => l.trim() !== '');
  const parsed = lines.map((line) => line.trim().split(/\s+/));
  return {
    times: parsed.map(([time]) => Number(isoToTt2000((time ?? '').replace(/Z$/, '')))),
    rows: parsed.map(([, ...values]) => values.map(Number)),
  };
}

/** The table's values at `tt2000`, linearly interpolated (held at the ends). */
export function interpolate(table: AncillaryTable, tt2000: number): number[] {
  const { times, rows } = table;
  if (tt2000 <= times[0]!) return rows[0]!;
  const last = times.length - 1;
  if (tt2000 >= times[last]!) return rows[last]!;
  let i = 0;
  while (times[i + 1]! < tt2000) i++;
  const f = (tt2000 - times[i]!) / (times[i + 1]! - times[i]!);
  return rows[i]!.map((v, k) => v + f * (rows[i + 1]![k]! - v));
}
