import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { Raster, type Rgb } from '../plot/raster.js';
import type { SelectionWindow } from './sitl-types.js';
import type { SurveyPanelData } from './survey-series.js';
import { cycleColumns, surveyTitle, windowPlot, WINDOW_PLOT } from './window-plot.js';

/** 2015-06-12T18:20:05 UTC, an hour of 10-s cycles. */
const START = 1812824440;
const window: SelectionWindow = {
  id: 7, cycleStart: START, numCycles: 360, cycleSeconds: 10, evaluatedAt: new Date('2015-06-12T19:25:00Z'), absFile: 'abs_selections_2015-06-12-19-25-00.json',
  uplinkedAt: null, uplinkedBy: null, closeTai: null, closesAt: null,
  selections: [{ start: 98, stop: 121, fom: 150, sourceId: 'ABS', discussion: '' }],
  mdq: Array.from({ length: 360 }, (_, i) => (i >= 100 && i < 120 ? 150 : 0)),
  parameters: {},
};
const categories = [{ id: 0, from: 200, to: 256 }, { id: 1, from: 150, to: 200 }, { id: 2, from: 100, to: 150 }, { id: 3, from: 50, to: 100 }, { id: 4, from: 0, to: 50 }];
/** A field rising from -20 to 40 nT over the hour (one sample a second), and its magnitude; a gap of 10 min. */
const times = Array.from({ length: 3600 }, (_, i) => START + i).filter((t) => t < START + 1800 || t >= START + 2400);
const survey: SurveyPanelData = {
  title: 'mms1 FGM QL B DMPA (nT)',
  series: { times, units: 'nT', files: ['mms1_fgm_srvy_ql_20150612_v1.0.0.cdf'], components: [{ label: 'Bx DMPA', values: times.map((t) => -20 + ((t - START) / 3600) * 60) }, { label: 'Bt', values: times.map((t) => Math.abs(-20 + ((t - START) / 3600) * 60)) }] },
};

const decode = (png: Buffer) => PNG.sync.read(png);
const pixel = (png: PNG, x: number, y: number): Rgb => {
  const i = (png.width * y + x) * 4;
  return [png.data[i]!, png.data[i + 1]!, png.data[i + 2]!];
};
/** Whether the region of the plot equals the text drawn alone on a blank canvas at the same place. */
const textDrawn = (png: PNG, x: number, top: number, text: string, align: 'left' | 'center' | 'right' = 'left') => {
  const alone = new Raster(png.width, png.height, WINDOW_PLOT.colours.background);
  const left = alone.text(x, top, text, WINDOW_PLOT.colours.text, align);
  let ink = 0;
  for (let y = top; y < top + 8; y += 1) {
    for (let px = left; px < left + text.length * 6; px += 1) {
      const expected = alone.pixel(px, y);
      if (expected.join() !== WINDOW_PLOT.colours.background.join()) {
        ink += 1;
        if (pixel(png, px, y).join() !== expected.join()) return false;
      }
    }
  }
  return ink > 0;
};

describe('the quicklook plot of a window', () => {
  const png = windowPlot(window, [{ start: 98, stop: 121, fom: 160, sourceId: 'alice(EVA)', discussion: '' }], { fomMax: 255, categories }, survey);
  const image = decode(png);

  it('is a PNG with four framed panels: survey data, metadata quality, automated and SITL selections', () => {
    mkdirSync(path.resolve('test-artifacts'), { recursive: true });
    writeFileSync(path.resolve('test-artifacts/sitl-quicklook.png'), png);
    expect([image.width, image.height]).toEqual([WINDOW_PLOT.width, WINDOW_PLOT.height]);
    const { panels, colours, left, right } = WINDOW_PLOT;
    for (const panel of Object.values(panels)) {
      expect(pixel(image, left - 1, panel.top)).toEqual(colours.frame);
      expect(pixel(image, right, panel.bottom - 1)).toEqual(colours.frame);
      expect(pixel(image, (left + right) >> 1, panel.top)).toEqual(colours.frame);
    }
    const mid = (cycle: number) => Math.floor(cycleColumns(cycle, 360).reduce((a, b) => a + b) / 2);
    expect(pixel(image, mid(110), panels.mdq.bottom - 3)).toEqual(colours.mdq);
    expect(pixel(image, mid(110), panels.automated.bottom - 3)).toEqual(colours.automated);
    expect(pixel(image, mid(110), panels.sitl.bottom - 3)).toEqual(colours.sitl);
  });

  it('draws the survey components as lines over their times, with a gap where there are no samples', () => {
    const { panels, colours, left, right } = WINDOW_PLOT;
    const columnInk = (x: number, colour: Rgb) => {
      for (let y = panels.survey.top + 1; y < panels.survey.bottom - 1; y += 1) if (pixel(image, x, y).join() === colour.join()) return true;
      return false;
    };
    const x = (seconds: number) => left + Math.floor((seconds * (right - left)) / 3600);
    // Bx rises: low at the start (near the bottom), high at the end (near the top).
    const firstInk = (column: number) => {
      for (let y = panels.survey.top + 1; y < panels.survey.bottom - 1; y += 1) if (pixel(image, column, y).join() === colours.survey[0]!.join()) return y;
      return -1;
    };
    expect(firstInk(x(10))).toBeGreaterThan(firstInk(x(3590)));
    expect([columnInk(x(600), colours.survey[0]!), columnInk(x(600), colours.survey[1]!)]).toEqual([true, true]);
    // The 10 minutes without samples (30-40 min) stay blank.
    expect([columnInk(x(2100), colours.survey[0]!), columnInk(x(2100), colours.survey[1]!)]).toEqual([false, false]);
  });

  it('labels the panels, their scales, the legend and the time axis in the bitmap font', () => {
    const { panels, titles, left, right, axis } = WINDOW_PLOT;
    expect(textDrawn(image, 2, panels.survey.title, surveyTitle(survey))).toBe(true);
    expect(textDrawn(image, 2, panels.mdq.title, titles.mdq)).toBe(true);
    expect(textDrawn(image, 2, panels.automated.title, titles.automated)).toBe(true);
    expect(textDrawn(image, 2, panels.sitl.title, titles.sitl)).toBe(true);
    expect(textDrawn(image, left - 4, panels.automated.top + 1, '255', 'right')).toBe(true);
    expect(textDrawn(image, left - 4, panels.automated.bottom - 7, '0', 'right')).toBe(true);
    // The survey scale spans the data (-20 to 40 nT) with 5 % room, widened to round values.
    expect(textDrawn(image, left - 4, panels.survey.top + 1, '50', 'right')).toBe(true);
    expect(textDrawn(image, left - 4, panels.survey.bottom - 7, '-30', 'right')).toBe(true);
    expect(textDrawn(image, right, panels.survey.title, 'Bt', 'right')).toBe(true);
    // Ticks every 5 minutes from 18:25 UTC; the caption gives the span.
    const at = (minutes: number) => left + Math.round(((minutes * 60 - 5) * (right - left)) / 3600);
    expect(textDrawn(image, at(5), axis.labels, '18:25', 'center')).toBe(true);
    expect(textDrawn(image, at(55), axis.labels, '19:15', 'center')).toBe(true);
    expect(textDrawn(image, left, axis.caption, 'UTC, 2015-06-12 18:20:05 to 2015-06-12 19:20:05: window 7, 360 buffers of 10 s')).toBe(true);
    // And nowhere else: the gap between the survey panel and the next title is blank.
    for (let x = 0; x < WINDOW_PLOT.width; x += 1) expect(pixel(image, x, panels.survey.bottom + 2)).toEqual(WINDOW_PLOT.colours.background);
  });

  it('says in the survey panel why there is no survey data', () => {
    const empty = decode(windowPlot(window, null, { fomMax: 255, categories }, { title: 'mms1 FGM QL B DMPA (nT)', note: 'no survey data for this window' }));
    const { panels, left, right } = WINDOW_PLOT;
    const noteDrawn = (() => {
      const alone = new Raster(empty.width, empty.height, WINDOW_PLOT.colours.background);
      const top = (panels.survey.top + panels.survey.bottom) / 2 - 3;
      const x0 = alone.text((left + right) / 2, top, 'no survey data for this window', WINDOW_PLOT.colours.note, 'center');
      return pixel(empty, x0, Math.round(top) + 2).join() === alone.pixel(x0, Math.round(top) + 2).join() && alone.pixel(x0 + 6, Math.round(top) + 2).join() === pixel(empty, x0 + 6, Math.round(top) + 2).join();
    })();
    expect(noteDrawn).toBe(true);
  });
});
