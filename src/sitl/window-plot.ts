import { textWidth } from '../plot/bitmap-font.js';
import { Raster, type Rgb } from '../plot/raster.js';
import type { FomCategory } from './sitl-config.js';
import type { Selection, SelectionWindow } from './sitl-types.js';
import type { SurveyPanelData } from './survey-series.js';
import { dateToTai, taiToDate } from './tai-seconds.js';

interface Panel {
  top: number;
  bottom: number;
  /** Top of the panel's title line (above the panel). */
  title: number;
}

/** Where the quicklook plot puts things: four panels stacked over the window's time, then the time axis. */
export const WINDOW_PLOT = {
  width: 960,
  height: 462,
  /** Plot area in x: [left, right); the y-axis labels end left of it. */
  left: 60,
  right: 950,
  /** Panels in y: [top, bottom): survey data, the metadata quality, the automated selections, the SITL's. */
  panels: {
    survey: { title: 4, top: 16, bottom: 106 },
    mdq: { title: 112, top: 124, bottom: 214 },
    automated: { title: 220, top: 232, bottom: 322 },
    sitl: { title: 328, top: 340, bottom: 430 },
  },
  /** The time axis: tick marks below the last panel, their labels, then the caption (tops of the text). */
  axis: { tickBottom: 434, labels: 437, caption: 449 },
  titles: { survey: 'Survey data', mdq: 'Burst metadata quality (MDQ)', automated: 'Automated selections (ABS), FOM', sitl: 'SITL selections, FOM' },
  colours: {
    background: [255, 255, 255] as Rgb,
    frame: [120, 120, 120] as Rgb,
    category: [225, 225, 225] as Rgb,
    text: [30, 30, 30] as Rgb,
    note: [150, 150, 150] as Rgb,
    mdq: [60, 60, 60] as Rgb,
    automated: [31, 119, 180] as Rgb,
    sitl: [214, 39, 40] as Rgb,
    /** Components of the survey quantity, in order (then repeated). */
    survey: [[31, 119, 180], [44, 160, 44], [214, 39, 40], [20, 20, 20]] as Rgb[],
  },
} as const;

/** Tick spacings of the time axis, seconds; the first that leaves labels room is used. */
const TICK_STEPS = [60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 172800, 604800];

/** The pixel columns [x0, x1) of cycle `i` of `n`. */
export function cycleColumns(i: number, n: number): [number, number] {
  const span = WINDOW_PLOT.right - WINDOW_PLOT.left;
  return [WINDOW_PLOT.left + Math.floor((i * span) / n), WINDOW_PLOT.left + Math.floor(((i + 1) * span) / n)];
}

/** The title of the survey panel: the mission's title, or the generic one without survey data configured. */
export function surveyTitle(survey: SurveyPanelData | undefined): string {
  return survey ? `${WINDOW_PLOT.titles.survey}: ${survey.title}` : `${WINDOW_PLOT.titles.survey}: none configured`;
}

/**
 * The quicklook of a window as a PNG: the survey quantity (its components as lines, with a
 * legend), the burst metadata quality (MDQ) per cycle, and the automated and the SITL's
 * selections as FOM bars over the cycles they select, on the FOM scale (`fomMax`) with the
 * category boundaries as light lines. Each panel has a title and its scale's ends; the time
 * axis has UTC ticks and a caption with the window's span. A bar is at least one pixel wide.
 */
export function windowPlot(window: SelectionWindow, sitl: readonly Selection[] | null, scale: { fomMax: number; categories: readonly FomCategory[] }, survey?: SurveyPanelData): Buffer {
  const { panels, colours, titles } = WINDOW_PLOT;
  const raster = new Raster(WINDOW_PLOT.width, WINDOW_PLOT.height, colours.background);
  const n = Math.max(1, window.numCycles);
  const heightOf = (value: number, panel: Panel) => Math.max(0, Math.min(1, value / scale.fomMax)) * (panel.bottom - panel.top - 2);
  const bars = (panel: Panel, from: number, to: number, value: number, colour: Rgb) => {
    const [x0] = cycleColumns(from, n);
    const [, x1] = cycleColumns(to, n);
    raster.fillRect(x0, panel.bottom - 1 - heightOf(value, panel), Math.max(x1, x0 + 1), panel.bottom - 1, colour);
  };
  for (const panel of [panels.automated, panels.sitl]) {
    for (const c of scale.categories) if (c.from > 0 && c.from < scale.fomMax) raster.fillRect(WINDOW_PLOT.left, panel.bottom - 1 - heightOf(c.from, panel), WINDOW_PLOT.right, panel.bottom - heightOf(c.from, panel), colours.category);
  }
  window.mdq.forEach((value, i) => {
    if (value > 0) bars(panels.mdq, i, i, value, colours.mdq);
  });
  for (const s of window.selections) bars(panels.automated, s.start, s.stop, s.fom, colours.automated);
  for (const s of sitl ?? []) bars(panels.sitl, s.start, s.stop, s.fom, colours.sitl);
  drawSurvey(raster, window, survey);
  for (const key of ['mdq', 'automated', 'sitl'] as const) {
    raster.text(2, panels[key].title, titles[key], colours.text);
    yLabels(raster, panels[key], '0', String(scale.fomMax));
  }
  for (const panel of Object.values(panels)) raster.strokeRect(WINDOW_PLOT.left - 1, panel.top, WINDOW_PLOT.right + 1, panel.bottom, colours.frame);
  timeAxis(raster, window);
  return raster.toPng();
}

/** The scale's ends left of a panel: `low` at its bottom, `high` at its top. */
function yLabels(raster: Raster, panel: Panel, low: string, high: string): void {
  raster.text(WINDOW_PLOT.left - 4, panel.bottom - 7, low, WINDOW_PLOT.colours.text, 'right');
  raster.text(WINDOW_PLOT.left - 4, panel.top + 1, high, WINDOW_PLOT.colours.text, 'right');
}

function drawSurvey(raster: Raster, window: SelectionWindow, survey: SurveyPanelData | undefined): void {
  const { panels, colours, left, right } = WINDOW_PLOT;
  const panel = panels.survey;
  raster.text(2, panel.title, surveyTitle(survey), colours.text);
  const series = survey?.series;
  if (!series) {
    raster.text((left + right) / 2, (panel.top + panel.bottom) / 2 - 3, survey?.note ?? 'no survey product configured for the quicklook', colours.note, 'center');
    return;
  }
  let [low, high] = [Infinity, -Infinity];
  for (const c of series.components) {
    for (const v of c.values) {
      if (!Number.isFinite(v)) continue;
      low = Math.min(low, v);
      high = Math.max(high, v);
    }
  }
  if (low > high) [low, high] = [0, 1];
  if (low === high) [low, high] = [low - 1, high + 1];
  [low, high] = niceRange(low - (high - low) * 0.05, high + (high - low) * 0.05);
  const start = window.cycleStart;
  const span = window.numCycles * window.cycleSeconds;
  const width = right - left;
  const yOf = (v: number) => panel.bottom - 2 - ((v - low) / (high - low)) * (panel.bottom - panel.top - 4);
  // Samples far apart (a data gap) are not joined: three typical spacings at most.
  const gapColumns = Math.max(1, Math.ceil((3 * typicalSpacing(series.times) * width) / span));
  series.components.forEach((component, k) => {
    const colour = colours.survey[k % colours.survey.length]!;
    // Per pixel column: the first, last, lowest and highest value (NaN: no sample there).
    const [first, last, min, max] = [0, 1, 2, 3].map(() => new Float64Array(width).fill(Number.NaN)) as [Float64Array, Float64Array, Float64Array, Float64Array];
    const values = component.values;
    series.times.forEach((t, i) => {
      const v = values[i]!;
      if (!Number.isFinite(v)) return;
      const x = Math.min(width - 1, Math.max(0, Math.floor(((t - start) * width) / span)));
      if (Number.isNaN(first[x]!)) {
        first[x] = v;
        min[x] = v;
        max[x] = v;
      } else {
        if (v < min[x]!) min[x] = v;
        if (v > max[x]!) max[x] = v;
      }
      last[x] = v;
    });
    let previous = -1;
    for (let x = 0; x < width; x += 1) {
      if (Number.isNaN(first[x]!)) continue;
      if (previous >= 0 && x - previous <= gapColumns) raster.line(left + previous, yOf(last[previous]!), left + x, yOf(first[x]!), colour);
      raster.line(left + x, yOf(min[x]!), left + x, yOf(max[x]!), colour);
      previous = x;
    }
  });
  yLabels(raster, panel, label(low), label(high));
  // The legend: each component's colour and label, right-aligned on the title line.
  let x = right;
  for (let k = series.components.length - 1; k >= 0; k -= 1) {
    const text = series.components[k]!.label;
    x = raster.text(x, panel.title, text, colours.text, 'right') - 4;
    raster.fillRect(x - 7, panel.title, x, panel.title + 7, colours.survey[k % colours.survey.length]!);
    x -= 15;
  }
}

/** UTC ticks under the panels at a round spacing, labelled hh:mm, and the window's span as a caption. */
function timeAxis(raster: Raster, window: SelectionWindow): void {
  const { left, right, axis, colours, panels } = WINDOW_PLOT;
  const start = window.cycleStart;
  const span = Math.max(1, window.numCycles * window.cycleSeconds);
  const width = right - left;
  const room = textWidth('00:00') + 16;
  const step = TICK_STEPS.find((s) => (s * width) / span >= room) ?? TICK_STEPS.at(-1)!;
  const startMs = taiToDate(start).getTime();
  for (let ms = Math.ceil(startMs / (step * 1000)) * step * 1000; ; ms += step * 1000) {
    const tai = dateToTai(new Date(ms));
    if (tai > start + span) break;
    const x = left + Math.round(((tai - start) * width) / span);
    raster.fillRect(x, panels.sitl.bottom, x + 1, axis.tickBottom, colours.frame);
    if (x + room / 2 <= WINDOW_PLOT.width) raster.text(x, axis.labels, new Date(ms).toISOString().slice(11, 16), colours.text, 'center');
  }
  const utc = (tai: number) => taiToDate(tai).toISOString().slice(0, 19).replace('T', ' ');
  raster.text(left, axis.caption, `UTC, ${utc(start)} to ${utc(start + span)}: window ${window.id}, ${window.numCycles} buffers of ${window.cycleSeconds} s`, colours.text);
}

/** The median spacing of the sample times (1 when there are fewer than two). */
function typicalSpacing(times: readonly number[]): number {
  if (times.length < 2) return 1;
  const stride = Math.max(1, Math.floor(times.length / 1000));
  const gaps: number[] = [];
  for (let i = stride; i < times.length; i += stride) gaps.push((times[i]! - times[i - stride]!) / stride);
  gaps.sort((a, b) => a - b);
  return Math.max(1e-9, gaps[Math.floor(gaps.length / 2)]!);
}

/** The range widened to multiples of a round step (1, 2 or 5 times a power of ten, about a tenth of it). */
function niceRange(low: number, high: number): [number, number] {
  const rough = (high - low) / 10;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= rough) ?? 10 * power;
  return [Math.floor(low / step) * step, Math.ceil(high / step) * step];
}

/** A scale value with up to four significant digits. */
function label(value: number): string {
  return Number(value.toPrecision(4)).toString();
}
