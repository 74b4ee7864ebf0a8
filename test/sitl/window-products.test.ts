/**
 * A window's SITL-level products and its quicklook's survey panel, from the processing chain's
 * outputs: FGM CDF files written as the example processors write them (their own writer) are
 * ingested and catalogued; the window's JSON and page say per product and spacecraft whether they
 * cover the window (present, missing, late) and how ready the window is; the quicklook plot
 * draws the survey quantity the mission names, read from the CDF with the project's reader.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFgmProduct } from '../../missions/mms/processors/fgm-output.js';
import { TeamAccounts } from '../../src/api/access/team-accounts.js';
import { unixMsToTt2000 } from '../../src/cdf/index.js';
import { Raster } from '../../src/plot/raster.js';
import { taiToDate } from '../../src/sitl/tai-seconds.js';
import { surveyTitle, WINDOW_PLOT } from '../../src/sitl/window-plot.js';
import { backends } from '../support/backends.js';
import { startTestSdc, type TestSdc } from '../support/test-sdc.js';

const ARTIFACTS = path.resolve('test-artifacts');
/** 2015-06-12T18:20:05 UTC; the window is an hour of 10-s cycles, to 19:20:05. */
const START = 1812824440;
const END = START + 3600;
const DAY = '2015-06-12';

interface WindowJson {
  readiness: string;
  products: { label: string; spacecraft: string; state: string; coverage: number; files: string[] }[];
}

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`SITL products and the survey quicklook on ${backend.name}`, () => {
    let t: TestSdc;
    let baseUrl: string;
    let windowId: number;
    let outputDir: string;
    const auth = { authorization: `Basic ${Buffer.from('alice:alice-pass').toString('base64')}` };
    /** Writes and ingests an FGM product of one spacecraft with 1 Hz samples from `from` to `to` (UTC ms). */
    const product = async (spacecraft: string, level: 'l1b' | 'ql', from: number, to: number, previous: { name: string; version: string }[] = []) => {
      const count = Math.floor((to - from) / 1000) + 1;
      const epoch = BigInt64Array.from({ length: count }, (_, i) => unixMsToTt2000(from + i * 1000));
      const components = level === 'ql' ? 4 : 3;
      // Bx falls from 30 to -30 nT over the hour of the window; By is 5, Bz -5, Bt the magnitude.
      const values = new Float32Array(count * components);
      for (let i = 0; i < count; i += 1) {
        const bx = 30 - (60 * (from + i * 1000 - taiToDate(START).getTime())) / 3_600_000;
        values.set([bx, 5, -5, Math.hypot(bx, 5, -5)].slice(0, components), i * components);
      }
      const job = { jobId: 1, processor: { name: `fgm-${level}`, version: '1.0.0' }, window: { start: `${DAY}T00:00:00Z`, end: '2015-06-13T00:00:00Z' }, inputs: [], previousOutputs: previous, outputDir, provenanceAttributes: {} };
      const name = await writeFgmProduct(
        { job, spacecraft, mode: 'srvy', level, description: `test FGM ${level}`, interfaceNumber: 1, quality: 0, variable: { suffix: 'b_dmpa', catdesc: 'Magnetic field', units: 'nT', labels: ['Bx DMPA', 'By DMPA', 'Bz DMPA', 'Bt'].slice(0, components), validMax: 70000 } },
        { epoch, values, components },
      );
      const outcome = await t.sdc.ingest.ingest({ path: path.join(outputDir, name), name, source: 'drop' });
      expect(outcome).toMatchObject({ status: 'ingested' });
      return { name, version: name.match(/_v(\d+\.\d+\.\d+)\.cdf$/)![1]! };
    };
    const windowJson = async () => (await (await fetch(`${baseUrl}/api/v1/sitl/windows/${windowId}`)).json()) as WindowJson;

    beforeAll(async () => {
      await mkdir(ARTIFACTS, { recursive: true });
      t = await startTestSdc(backend, { mission: path.resolve('missions/mms') });
      // This site's product list: FGM L1B of two spacecraft (due 6 h after the window), EDP of
      // one, not due for a century (so it stays missing, not late).
      t.sdc.mission.config.sitl!.products = [
        { label: 'FGM L1B', match: { kind: 'science', instrument: 'fgm', mode: 'srvy', level: 'l1b', spacecraft: ['mms1', 'mms2'] }, due: 'PT6H' },
        { label: 'EDP SITL', match: { kind: 'science', instrument: 'edp', level: 'sitl', spacecraft: 'mms1' }, due: 'P36500D' },
      ];
      baseUrl = await t.sdc.startApi();
      await t.sdc.startSitl();
      outputDir = path.join(t.dataDir, 'outputs');
      await mkdir(outputDir, { recursive: true });
      const accounts = new TeamAccounts(t.sdc.catalog.db, 'mms');
      await accounts.createUser('alice', 'alice-pass');
      await accounts.grantRole('alice', 'sitl');
      const rows = ['SC_ID,TAITIMESTAMP,DATASEGMENTID,CDQ,MDQ'];
      for (let i = 0; i < 360; i += 1) rows.push(`mms1,${START + i * 10},,${i >= 100 && i < 120 ? 150 : 0},${i >= 100 && i < 120 ? 150 : 0}`);
      const file = path.join(t.dataDir, 'mms_burst_metadata_20150612182005_20150612192005.csv');
      await writeFile(file, `${rows.join('\n')}\n`);
      await t.sdc.ingest.ingest({ path: file, name: path.basename(file), source: 'drop' });
      for (let i = 0; i < 200 && windowId === undefined; i += 1) {
        windowId = (await t.sdc.catalog.db.selectFrom('sitl_windows').select('id').executeTakeFirst())?.id as number;
        if (windowId === undefined) await sleep(50);
      }
    }, 120_000);
    afterAll(async () => {
      await t?.close();
    });

    it('shows per product and spacecraft whether the chain\'s outputs cover the window, and the readiness that follows', async () => {
      const from = taiToDate(START).getTime();
      const to = taiToDate(END).getTime();
      await product('mms1', 'l1b', from - 60_000, to + 60_000);
      const half = await product('mms2', 'l1b', from - 60_000, from + 1_800_000);
      const before = await windowJson();
      expect(before.products.map((p) => [p.label, p.spacecraft, p.state, Math.round(p.coverage * 100)])).toEqual([
        ['FGM L1B', 'mms1', 'present', 100],
        ['FGM L1B', 'mms2', 'late', 50],
        ['EDP SITL', 'mms1', 'missing', 0],
      ]);
      expect(before.readiness).toBe('late');
      expect(before.products[1]!.files).toEqual([half.name]);
      // The chain reprocesses mms2 over the whole window: the newest version counts.
      const full = await product('mms2', 'l1b', from - 60_000, to + 60_000, [half]);
      const after = await windowJson();
      expect(after.products.map((p) => p.state)).toEqual(['present', 'present', 'missing']);
      expect(after.products[1]!.files).toEqual([full.name]);
      expect(after.readiness).toBe('waiting');
      const list = (await (await fetch(`${baseUrl}/api/v1/sitl/windows`)).json()) as { windows: { id: number; readiness: string }[] };
      expect(list.windows.find((w) => w.id === windowId)!.readiness).toBe('waiting');
      const html = await (await fetch(`${baseUrl}/sitl/windows/${windowId}`, { headers: auth })).text();
      expect(html).toContain('<section id="products"><h2>SITL products: <span class="readiness waiting">waiting for products</span></h2>');
      expect(html).toContain('<tr class="product missing"><td>EDP SITL</td><td>mms1</td><td class="">missing</td><td>0 %</td>');
      expect(await (await fetch(`${baseUrl}/sitl`, { headers: auth })).text()).toContain('<span class="readiness waiting">waiting for products</span>');
    });

    it('draws the survey quantity the mission names (the FGM quicklook field) from the CDF, with its title and legend', async () => {
      const empty = PNG.sync.read(Buffer.from(await (await fetch(`${baseUrl}/api/v1/sitl/windows/${windowId}/plot.png`)).arrayBuffer()));
      const { panels, colours, left, right } = WINDOW_PLOT;
      const inkOf = (png: PNG, colour: readonly number[]) => {
        let n = 0;
        for (let y = panels.survey.top + 1; y < panels.survey.bottom - 1; y += 1) {
          for (let x = left; x < right; x += 1) {
            const i = (png.width * y + x) * 4;
            if (png.data[i] === colour[0] && png.data[i + 1] === colour[1] && png.data[i + 2] === colour[2]) n += 1;
          }
        }
        return n;
      };
      expect(inkOf(empty, colours.survey[0]!)).toBe(0);
      expect(inkOf(empty, colours.note)).toBeGreaterThan(0);
      await product('mms1', 'ql', taiToDate(START).getTime() - 60_000, taiToDate(END).getTime() + 60_000);
      const res = await fetch(`${baseUrl}/api/v1/sitl/windows/${windowId}/plot.png`);
      const bytes = Buffer.from(await res.arrayBuffer());
      await writeFile(path.join(ARTIFACTS, 'sitl-quicklook-window.png'), bytes);
      const png = PNG.sync.read(bytes);
      expect([png.width, png.height]).toEqual([WINDOW_PLOT.width, WINDOW_PLOT.height]);
      // All four components drawn; Bx falls across the window: high on the left, low on the right.
      for (const colour of colours.survey) expect(inkOf(png, colour)).toBeGreaterThan(0);
      const topInk = (x: number) => {
        for (let y = panels.survey.top + 1; y < panels.survey.bottom - 1; y += 1) {
          const i = (png.width * y + x) * 4;
          if (png.data[i] === colours.survey[0]![0] && png.data[i + 1] === colours.survey[0]![1] && png.data[i + 2] === colours.survey[0]![2]) return y;
        }
        return -1;
      };
      expect(topInk(left + 5)).toBeLessThan(topInk(right - 5));
      // The title is the mission's, drawn in the bitmap font where the layout puts it.
      const title = surveyTitle({ title: 'mms1 FGM QL B DMPA (nT)' });
      const alone = new Raster(png.width, png.height, colours.background);
      alone.text(2, panels.survey.title, title, colours.text);
      for (let y = panels.survey.title; y < panels.survey.title + 8; y += 1) {
        for (let x = 2; x < 2 + title.length * 6; x += 1) {
          const i = (png.width * y + x) * 4;
          expect([png.data[i], png.data[i + 1], png.data[i + 2]], `title pixel ${x},${y}`).toEqual([...alone.pixel(x, y)]);
        }
      }
    });
  });
}
