import { epochToUnixMs, openCdf, type CdfReader, type CdfAttributeValue } from '../cdf/index.js';
import type { Kysely } from 'kysely';
import type { CatalogSchema, FileRow } from '../catalog/catalog-schema.js';
import type { FileStore } from '../store/file-store.js';
import { filesMeeting } from './files-meeting.js';
import type { SurveyPanelConfig } from './sitl-config.js';
import type { SelectionWindow } from './sitl-types.js';
import { dateToTai, taiToDate, tt2000ToTai } from './tai-seconds.js';

/** Largest survey file read for a plot. */
const MAX_SURVEY_BYTES = 512 * 1024 * 1024;

/** A quantity over the window: per sample a TAI time and one value per component (NaN = no value). */
export interface SurveySeries {
  times: number[];
  components: { label: string; values: number[] }[];
  units: string;
  files: string[];
}

/** The survey panel's content: the series, or why there is none. */
export interface SurveyPanelData {
  title: string;
  series?: SurveySeries;
  note?: string;
}

/**
 * Reads the survey quantity of the mission's quicklook (`sitl.quicklook.survey`) over a window:
 * the newest versions of the product's files that meet the window, each read with the project's
 * CDF reader, only the records inside the window (times from the variable's DEPEND_0, TT2000 or
 * EPOCH); fill and out-of-range values become NaN. A file that cannot be read gives a note, not
 * an error: the rest of the plot is still drawn.
 */
export async function surveyPanelData(db: Kysely<CatalogSchema>, store: FileStore, mission: string, panel: SurveyPanelConfig, window: SelectionWindow): Promise<SurveyPanelData> {
  const title = panel.title.replaceAll('{spacecraft}', panel.spacecraft);
  const start = window.cycleStart;
  const end = window.cycleStart + window.numCycles * window.cycleSeconds;
  const files = await filesMeeting(db, mission, { ...panel.match, spacecraft: panel.spacecraft }, taiToDate(start), taiToDate(end));
  if (files.length === 0) return { title, note: 'no survey data for this window' };
  const variable = panel.variable.replaceAll('{spacecraft}', panel.spacecraft);
  const series: SurveySeries = { times: [], components: [], units: '', files: [] };
  for (const file of files) {
    try {
      const cdf = openCdf(await readStored(store, file), { name: file.name });
      try {
        appendRecords(series, cdf, variable, panel.components, start, end);
      } finally {
        cdf.close();
      }
      series.files.push(file.name);
    } catch (error) {
      return { title, note: `${file.name}: ${(error as Error).message}` };
    }
  }
  if (series.times.length === 0) return { title, note: 'no survey samples in this window' };
  return { title, series };
}

function appendRecords(series: SurveySeries, cdf: CdfReader, name: string, wanted: readonly number[] | undefined, start: number, end: number): void {
  const info = cdf.variable(name);
  const depend = text(info.attributes.DEPEND_0?.value);
  if (!depend) throw new Error(`variable ${name} has no DEPEND_0 (its times)`);
  const times = taiTimes(cdf, depend);
  const first = lowerBound(times, start);
  const last = lowerBound(times, end) - 1;
  if (last < first) return;
  const data = cdf.read(name, { first, last });
  const width = info.dimensions.reduce((a, b) => a * b, 1);
  const components = wanted ?? Array.from({ length: width }, (_, i) => i);
  for (const c of components) if (c >= width) throw new Error(`variable ${name} has ${width} components, not ${c + 1}`);
  if (series.components.length === 0) {
    const labels = componentLabels(cdf, info.attributes.LABL_PTR_1?.value, width);
    series.components = components.map((c) => ({ label: labels[c] ?? `${c}`, values: [] }));
    series.units = text(info.attributes.UNITS?.value) ?? '';
  }
  const fill = number(info.attributes.FILLVAL?.value);
  const [low, high] = [number(info.attributes.VALIDMIN?.value) ?? -Infinity, number(info.attributes.VALIDMAX?.value) ?? Infinity];
  const values = data.values as ArrayLike<number>;
  for (let r = 0; r <= last - first; r += 1) {
    series.times.push(times[first + r]!);
    components.forEach((c, k) => {
      const v = Number(values[r * width + c]);
      series.components[k]!.values.push(v === fill || v < low || v > high || !Number.isFinite(v) ? Number.NaN : v);
    });
  }
}

/** The times of a time variable as TAI seconds. */
function taiTimes(cdf: CdfReader, name: string): Float64Array {
  const values = cdf.read(name).values;
  if (values instanceof BigInt64Array) return Float64Array.from(values, (t) => tt2000ToTai(t));
  if (cdf.variable(name).type === 'EPOCH') return Float64Array.from(values as Float64Array, (ms) => dateToTai(new Date(epochToUnixMs(ms))));
  throw new Error(`time variable ${name} is ${cdf.variable(name).type}, not TIME_TT2000 or EPOCH`);
}

/** The first index whose time is at or after `t` (times ascending). */
function lowerBound(times: Float64Array, t: number): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (times[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function componentLabels(cdf: CdfReader, pointer: CdfAttributeValue | undefined, width: number): string[] {
  const name = text(pointer);
  if (!name || !cdf.hasVariable(name)) return [];
  const labels = cdf.read(name, { first: 0, last: 0 }).values;
  return Array.isArray(labels) ? labels.slice(0, width).map((l) => l.trim()) : [];
}

function text(value: CdfAttributeValue | undefined): string | undefined {
  return typeof value === 'string' ? value.trim() : undefined;
}

function number(value: CdfAttributeValue | undefined): number | undefined {
  if (value === undefined || typeof value === 'string' || value.length === 0) return undefined;
  return Number(value[0]);
}

async function readStored(store: FileStore, file: FileRow): Promise<Uint8Array> {
  if (file.size > MAX_SURVEY_BYTES) throw new Error(`${file.size} bytes, more than the ${MAX_SURVEY_BYTES} a quicklook reads`);
  const chunks: Buffer[] = [];
  for await (const chunk of await store.read(file.store_key)) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}
