import type { Transaction } from 'kysely';
import type { CatalogSchema } from '../catalog/catalog-schema.js';
import { SdcError } from '../errors/sdc-error.js';
import { metadataBetween } from './metadata-table.js';
import { publicationName } from './publication-name.js';
import type { SitlAdapter } from './sitl-adapter.js';
import type { SitlConfig } from './sitl-config.js';
import { queueDelivery } from './sitl-deliveries.js';
import { insertWindow, windowFromRow } from './selection-windows.js';
import type { MetadataCycle } from './sitl-types.js';

/** Most cycles one window may hold (a day of 10-s cycles is 8640). */
export const MAX_WINDOW_CYCLES = 100_000;

/**
 * Evaluates the metadata that just arrived into a window: the cycles its span covers (with
 * every spacecraft's metadata already stored for them), the mission's automated selections,
 * and the published selections file, queued for delivery in the same transaction.
 */
export async function evaluateWindow(
  trx: Transaction<CatalogSchema>,
  deps: { mission: string; config: SitlConfig; adapter: SitlAdapter; now?: Date },
  arrived: readonly MetadataCycle[],
  sourceFile: string,
): Promise<number | undefined> {
  if (arrived.length === 0) return undefined;
  const cycle = deps.config.cycleSeconds;
  // A loop, not Math.min(...): a day of four spacecraft is more arguments than a call takes.
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (const c of arrived) {
    if (c.tai < first) first = c.tai;
    if (c.tai > last) last = c.tai;
  }
  const cycleStart = first - (((first % cycle) + cycle) % cycle);
  const numCycles = Math.floor((last - cycleStart) / cycle) + 1;
  if (numCycles > MAX_WINDOW_CYCLES) throw new SdcError('invalid-request', `${sourceFile} spans ${numCycles} cycles, more than ${MAX_WINDOW_CYCLES} in one window`);
  const stored = await metadataBetween(trx, deps.mission, cycleStart, cycleStart + numCycles * cycle);
  const cycles: MetadataCycle[][] = Array.from({ length: numCycles }, () => []);
  for (const c of stored) cycles[Math.floor((c.tai - cycleStart) / cycle)]!.push(c);
  const computed = deps.adapter.automatedSelections({ cycleStart, cycleSeconds: cycle, cycles, parameters: deps.config.abs, sourceId: deps.config.automatedSourceId });
  const { name: absFile, at: evaluatedAt } = await publicationName(trx, deps.mission, deps.config.publish.automatedSelections, deps.now ?? new Date());
  const closesAt = deps.config.deadline ? new Date(evaluatedAt.getTime() + deps.config.deadline.closeAfterMinutes * 60_000) : null;
  const windowId = await insertWindow(trx, deps.mission, { cycleStart, numCycles, evaluatedAt, closesAt, sourceFile, absFile, selections: computed });
  const row = await trx.selectFrom('sitl_windows').selectAll().where('id', '=', windowId).executeTakeFirstOrThrow();
  const window = windowFromRow(row, cycle);
  await queueDelivery(trx, deps.mission, { target: 'publish', name: absFile, content: deps.adapter.encodeSelections(window, window.selections, { evaluatedAt }), windowId });
  return windowId;
}
