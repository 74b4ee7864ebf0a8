/**
 * What the processing tests share: the mission's demo arrivals for one day, sorted per spacecraft
 * and kind, ingesting a chosen few of them as the drop folder would, watching `file.ingested`
 * events, and reading a day's jobs.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Delivery } from '../../src/bus/event-bus.js';
import type { JobRow } from '../../src/catalog/catalog-schema.js';
import type { Sdc } from '../../src/app/open-sdc.js';
import type { FileIngestedEvent } from '../../src/events/event-types.js';
import { loadMissionModule } from '../../src/mission/load-mission-module.js';

interface DemoAdapter {
  generateDemoFiles(folder: string, options: { day: string; hours?: number }): Promise<string[]>;
  calibration(spacecraft: number, gain: number): string;
}

/** One spacecraft's arrivals of a demo day, by kind. */
export interface DayFiles {
  l0: string;
  attitude: string;
  ephemeris: string;
  calibration: string;
}

/** Generates the demo arrivals of `day` (a few minutes of telemetry) in `<root>/<day>`; returns them per spacecraft (1-4). */
export async function demoDay(sdc: Sdc, root: string, day: string, hours = 0.05): Promise<Map<number, DayFiles>> {
  const adapter = await loadMissionModule<DemoAdapter>(sdc.mission, 'demo');
  const folder = path.join(root, day);
  await mkdir(folder, { recursive: true });
  const files = await adapter.generateDemoFiles(folder, { day, hours });
  const bySpacecraft = new Map<number, DayFiles>();
  for (const n of [1, 2, 3, 4]) {
    const pick = (re: RegExp) => files.find((f) => re.test(path.basename(f)))!;
    bySpacecraft.set(n, {
      l0: pick(new RegExp(`^mms${n}_fgm_srvy_l0_\\d{8}_v`)),
      attitude: pick(new RegExp(`^MMS${n}_DEFATT_`)),
      ephemeris: pick(new RegExp(`^MMS${n}_DEFEPH_`)),
      calibration: pick(new RegExp(`^mms${n}_fgm_cal_`)),
    });
  }
  return bySpacecraft;
}

/** The demo calibration of a spacecraft with another gain (a recalibration). */
export async function demoCalibration(sdc: Sdc, spacecraft: number, gain: number): Promise<string> {
  return (await loadMissionModule<DemoAdapter>(sdc.mission, 'demo')).calibration(spacecraft, gain);
}

/** Ingests files as dropped arrivals (left in place); throws when one is refused. */
export async function ingestAll(sdc: Sdc, files: readonly string[]): Promise<void> {
  const outcomes = await sdc.ingest.ingestMany(files.map((f) => ({ path: f, name: path.basename(f), source: 'drop' as const, keepSource: true })));
  const refused = outcomes.filter((o) => o.status === 'quarantined');
  if (refused.length > 0) throw new Error(`arrivals refused: ${JSON.stringify(refused)}`);
}

/** Collects every `file.ingested` event (both tiers) from now on. */
export async function observeIngested(sdc: Sdc, queue = 'test.processing.observer'): Promise<Delivery<FileIngestedEvent>[]> {
  const events: Delivery<FileIngestedEvent>[] = [];
  await sdc.bus.declareQueue({ name: queue, bindings: ['file.ingested.#'], retryDelaysMs: [] });
  await sdc.bus.consume<FileIngestedEvent>(queue, async (d) => void events.push(d), { prefetch: 100 });
  return events;
}

/** The jobs of one day, oldest first. */
export async function jobsOfDay(sdc: Sdc, day: string): Promise<JobRow[]> {
  return sdc.catalog.db.selectFrom('jobs').selectAll().where('window_start', '=', new Date(`${day}T00:00:00Z`)).orderBy('id').execute();
}
