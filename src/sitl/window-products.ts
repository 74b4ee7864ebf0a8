import type { Kysely } from 'kysely';
import { Duration } from 'luxon';
import type { CatalogSchema, FileRow } from '../catalog/catalog-schema.js';
import { filesMeeting } from './files-meeting.js';
import type { SitlProductConfig } from './sitl-config.js';
import type { SelectionWindow } from './sitl-types.js';
import { taiToDate } from './tai-seconds.js';

/**
 * `present`: the data of the product's newest versions cover the window's interval (gaps of less
 * than one cycle in all allowed); `missing`: not (yet),
 * before it is due; `late`: not, and it was due (the `due` delay after the window's end passed).
 */
export type ProductState = 'present' | 'missing' | 'late';

export interface ProductCoverage {
  label: string;
  spacecraft: string;
  state: ProductState;
  /** Share of the window's interval the files cover, 0 to 1. */
  coverage: number;
  dueAt: Date;
  files: string[];
}

/** `ready`: every product present; `late`: one is late; `waiting`: one is missing, none late; `none`: no product configured. */
export type Readiness = 'ready' | 'waiting' | 'late' | 'none';

export interface WindowProducts {
  readiness: Readiness;
  products: ProductCoverage[];
}

/**
 * Whether the products the SITL works with (`sitl.products`) cover each window, one entry per
 * product and spacecraft (the match's spacecraft, else every spacecraft of the mission). One
 * catalog query per product, over the span of all the windows.
 */
export async function windowProducts(db: Kysely<CatalogSchema>, mission: { id: string; spacecraft: readonly string[] }, products: readonly SitlProductConfig[], windows: readonly SelectionWindow[], now = new Date()): Promise<Map<number, WindowProducts>> {
  const spans = new Map(windows.map((w) => [w.id, [taiToDate(w.cycleStart), taiToDate(w.cycleStart + w.numCycles * w.cycleSeconds)] as const]));
  const coverages = new Map<number, ProductCoverage[]>(windows.map((w) => [w.id, []]));
  if (windows.length > 0) {
    const from = new Date(Math.min(...[...spans.values()].map(([a]) => a.getTime())));
    const to = new Date(Math.max(...[...spans.values()].map(([, b]) => b.getTime())));
    for (const product of products) {
      const files = await filesMeeting(db, mission.id, product.match, from, to);
      const named = product.match.spacecraft;
      const spacecraft = named === undefined ? mission.spacecraft : Array.isArray(named) ? named : [named];
      for (const window of windows) {
        const [start, end] = spans.get(window.id)!;
        const dueAt = new Date(end.getTime() + Duration.fromISO(product.due).toMillis());
        for (const sc of spacecraft) {
          const mine = files.filter((f) => f.spacecraft === sc && f.start_time < end && f.end_time > start);
          const coverage = covered(mine.map(dataSpan), start.getTime(), end.getTime());
          // Gaps shorter than one cycle in all still count as covered (the last sample's time is not the data's end).
          const gapMs = (1 - coverage) * (end.getTime() - start.getTime());
          const state: ProductState = gapMs < window.cycleSeconds * 1000 ? 'present' : now >= dueAt ? 'late' : 'missing';
          coverages.get(window.id)!.push({ label: product.label, spacecraft: sc, state, coverage, dueAt, files: mine.map((f) => f.name) });
        }
      }
    }
  }
  return new Map([...coverages].map(([id, list]) => [id, { readiness: readinessOf(list), products: list }]));
}

function readinessOf(products: readonly ProductCoverage[]): Readiness {
  if (products.length === 0) return 'none';
  if (products.some((p) => p.state === 'late')) return 'late';
  if (products.some((p) => p.state === 'missing')) return 'waiting';
  return 'ready';
}

/** When a file has data: its CDF time range as ingest recorded it, else the catalogued range (the name's). */
function dataSpan(file: FileRow): [number, number] {
  const range = (file.metadata as { cdf?: { timeRange?: { start: string; end: string } | null } }).cdf?.timeRange;
  const start = range ? Date.parse(`${range.start.slice(0, 23)}Z`) : Number.NaN;
  const end = range ? Date.parse(`${range.end.slice(0, 23)}Z`) : Number.NaN;
  return Number.isFinite(start) && Number.isFinite(end) ? [start, end] : [file.start_time.getTime(), file.end_time.getTime()];
}

/** The share of [from, to) the union of the spans covers. */
function covered(spans: [number, number][], from: number, to: number): number {
  if (to <= from) return 1;
  let total = 0;
  let reached = from;
  for (const [start, end] of [...spans].sort((a, b) => a[0] - b[0])) {
    const a = Math.max(start, reached);
    const b = Math.min(end, to);
    if (b > a) total += b - a;
    reached = Math.max(reached, Math.min(end, to));
  }
  return total / (to - from);
}
