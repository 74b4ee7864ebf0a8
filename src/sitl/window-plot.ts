import { Raster, type Rgb } from '../plot/raster.js';
import type { FomCategory } from './sitl-config.js';
import type { Selection, SelectionWindow } from './sitl-types.js';

/** Where the quicklook plot puts things: three panels stacked over the window's cycles. */
export const WINDOW_PLOT = {
  width: 960,
  height: 330,
  /** Plot area in x: [left, right). */
  left: 40,
  right: 950,
  /** Panels in y: [top, bottom): the metadata quality, the automated selections, the SITL's. */
  panels: { mdq: { top: 10, bottom: 100 }, automated: { top: 120, bottom: 210 }, sitl: { top: 230, bottom: 320 } },
  colours: {
    background: [255, 255, 255] as Rgb,
    frame: [120, 120, 120] as Rgb,
    category: [225, 225, 225] as Rgb,
    mdq: [60, 60, 60] as Rgb,
    automated: [31, 119, 180] as Rgb,
    sitl: [214, 39, 40] as Rgb,
  },
} as const;

/** The pixel columns [x0, x1) of cycle `i` of `n`. */
export function cycleColumns(i: number, n: number): [number, number] {
  const span = WINDOW_PLOT.right - WINDOW_PLOT.left;
  return [WINDOW_PLOT.left + Math.floor((i * span) / n), WINDOW_PLOT.left + Math.floor(((i + 1) * span) / n)];
}

/**
 * The quicklook of a window as a PNG: the burst metadata quality (MDQ) per cycle, and below it
 * the automated and the SITL's selections as FOM bars over the cycles they select, on the FOM
 * scale (`fomMax`) with the category boundaries as light lines. A bar is at least one pixel wide.
 */
export function windowPlot(window: SelectionWindow, sitl: readonly Selection[] | null, scale: { fomMax: number; categories: readonly FomCategory[] }): Buffer {
  const { panels, colours } = WINDOW_PLOT;
  const raster = new Raster(WINDOW_PLOT.width, WINDOW_PLOT.height, colours.background);
  const n = Math.max(1, window.numCycles);
  const heightOf = (value: number, panel: { top: number; bottom: number }) => Math.max(0, Math.min(1, value / scale.fomMax)) * (panel.bottom - panel.top - 2);
  const bars = (panel: { top: number; bottom: number }, from: number, to: number, value: number, colour: Rgb) => {
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
  for (const panel of Object.values(panels)) raster.strokeRect(WINDOW_PLOT.left - 1, panel.top, WINDOW_PLOT.right + 1, panel.bottom, colours.frame);
  return raster.toPng();
}
