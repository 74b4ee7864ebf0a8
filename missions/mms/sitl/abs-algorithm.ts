import type { AutomatedSelectionInput } from '../../../src/sitl/sitl-adapter.js';
import type { Selection, WindowSelections } from '../../../src/sitl/sitl-types.js';

/** Version written into the published file (ALGVERSION). */
export const ABS_VERSION = 'sdc-abs-1.0';

/**
 * The MMS automated burst selection (ABS) over one window, from the combined data quality (MDQ)
 * of each 10-s cycle:
 *  1. seeds are taken in decreasing MDQ; a seed grows towards its better neighbour while that
 *     neighbour's MDQ is at least `SearchRatio` of the seed's, up to `MaxSegmentSize − 2·Pad`;
 *  2. a run shorter than `MinSegmentSize − 2·Pad` grows to it (or is dropped when hemmed in);
 *  3. `Pad` cycles are added on each side (clipped at the window and at other selections);
 *  4. FOM = mean MDQ of the run, 0-255; selection stops once `TargetBuffs` buffers are taken.
 * Selections never overlap; they are returned in time order.
 */
export function automatedBurstSelection(input: AutomatedSelectionInput): WindowSelections {
  const p = input.parameters;
  const searchRatio = typeof p.searchRatio === 'number' ? p.searchRatio : 0.5;
  const mdq = input.cycles.map((rows) => (rows.length === 0 ? 0 : Math.max(...rows.map((r) => r.mdq))));
  const n = mdq.length;
  const used = new Array<boolean>(n).fill(false);
  const coreMax = Math.max(1, p.maxSegmentSize - 2 * p.pad);
  const coreMin = Math.max(1, Math.min(coreMax, p.minSegmentSize - 2 * p.pad));
  const seeds = mdq.map((q, i) => [q, i] as const).filter(([q]) => q > 0).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  const selections: Selection[] = [];
  let buffers = 0;
  for (const [seedQuality, seed] of seeds) {
    if (buffers >= p.targetBuffers) break;
    if (used[seed]) continue;
    let a = seed;
    let b = seed;
    const free = (i: number) => i >= 0 && i < n && !used[i];
    const grow = (threshold: number, limit: number) => {
      while (b - a + 1 < limit) {
        const left = free(a - 1) && mdq[a - 1]! >= threshold ? mdq[a - 1]! : -1;
        const right = free(b + 1) && mdq[b + 1]! >= threshold ? mdq[b + 1]! : -1;
        if (left < 0 && right < 0) return;
        if (right >= left) b += 1;
        else a -= 1;
      }
    };
    grow(searchRatio * seedQuality, coreMax);
    grow(0, coreMin);
    if (b - a + 1 < coreMin) {
      used[seed] = true;
      continue;
    }
    const core = mdq.slice(a, b + 1);
    const fom = Math.round(Math.min(255, Math.max(0, core.reduce((s, q) => s + q, 0) / core.length)) * 100) / 100;
    for (let k = 0; k < p.pad && free(a - 1); k += 1) a -= 1;
    for (let k = 0; k < p.pad && free(b + 1); k += 1) b += 1;
    for (let i = a; i <= b; i += 1) used[i] = true;
    selections.push({ start: a, stop: b, fom, sourceId: input.sourceId, discussion: '' });
    buffers += b - a + 1;
  }
  selections.sort((x, y) => x.start - y.start);
  return {
    selections,
    mdq,
    parameters: { algorithmVersion: ABS_VERSION, targetBuffers: p.targetBuffers, minSegmentSize: p.minSegmentSize, maxSegmentSize: p.maxSegmentSize, pad: p.pad, searchRatio, fomAverage: selections.length === 0 ? 0 : Math.round((selections.reduce((s, x) => s + x.fom, 0) / selections.length) * 100) / 100 },
  };
}
