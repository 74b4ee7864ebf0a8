import { Router } from 'express';
import { listWindows, findWindow } from '../../sitl/selection-windows.js';
import { selectionSpan } from '../../sitl/selection-validation.js';
import type { SitlService } from '../../sitl/sitl-service.js';
import type { SelectionWindow } from '../../sitl/sitl-types.js';
import { taiToDate } from '../../sitl/tai-seconds.js';
import { WINDOW_PLOT } from '../../sitl/window-plot.js';
import { windowProducts, type Readiness, type WindowProducts } from '../../sitl/window-products.js';
import { windowReport, type WindowReport } from '../../sitl/window-report.js';
import type { ApiContext } from '../api-context.js';
import { HttpRequestError } from '../http-errors.js';
import { escapeHtml, page } from '../pages/html.js';
import { SITL_PAGE_SCRIPT } from './sitl-page-script.js';

const utc = (tai: number) => taiToDate(tai).toISOString().slice(0, 19).replace('T', ' ');
const stamp = (d: Date) => d.toISOString().slice(0, 19).replace('T', ' ');

/** The window's deadline with a countdown the page script keeps live (closed windows: who closed them). */
function deadline(w: SelectionWindow): string {
  if (w.uplinkedAt) return `closed by ${escapeHtml(w.uplinkedBy ?? '')}`;
  if (!w.closesAt) return 'open';
  const iso = w.closesAt.toISOString();
  return `due <time datetime="${iso}">${escapeHtml(stamp(w.closesAt))}</time> <span class="countdown" data-closes="${iso}"></span>`;
}

/** A window's readiness in words, coloured (late in red). */
function readinessBadge(readiness: Readiness): string {
  const words = { ready: 'ready', waiting: 'waiting for products', late: 'products late', none: 'no products configured' }[readiness];
  return `<span class="readiness ${readiness}${readiness === 'late' ? ' bad' : ''}">${words}</span>`;
}

/** Which SITL-level products cover the window: per product and spacecraft, present, missing or late. */
function productsSection(p: WindowProducts): string {
  if (p.products.length === 0) return '';
  const rows = p.products.map((c) => `<tr class="product ${c.state}"><td>${escapeHtml(c.label)}</td><td>${escapeHtml(c.spacecraft)}</td><td class="${c.state === 'late' ? 'bad' : ''}">${c.state}</td><td>${Math.round(c.coverage * 100)} %</td><td>${escapeHtml(stamp(c.dueAt))}</td><td class="wide">${c.files.map(escapeHtml).join('<br>')}</td></tr>`);
  return `<section id="products"><h2>SITL products: ${readinessBadge(p.readiness)}</h2><table><thead><tr><th>product</th><th>spacecraft</th><th>state</th><th>covers</th><th>due (UTC)</th><th class="wide">files</th></tr></thead><tbody>${rows.join('')}</tbody></table></section>`;
}

/** The report section: submissions, buffers per category, the segments and their buffer history. */
function reportSection(r: WindowReport): string {
  const submissions = r.submissions.map((s) => `<tr><td>${s.id}</td><td>${s.kind}</td><td>${escapeHtml(s.submittedBy)}</td><td>${escapeHtml(stamp(s.submittedAt))}</td><td>${s.selections}</td><td>${s.buffers}</td><td class="wide">${escapeHtml(s.note)}</td></tr>`);
  const selectedBy = r.selected ? `${r.selected.kind} ${r.selected.submissionId} of ${escapeHtml(r.selected.by)}` : 'nothing submitted yet';
  const categories = r.automated.byCategory.map((c, i) => {
    const chosen = r.selected?.byCategory[i];
    return `<tr><td>${c.category}</td><td>[${c.from}, ${c.to})</td><td>${c.selections} / ${c.buffers}</td><td>${chosen ? `${chosen.selections} / ${chosen.buffers}` : ''}</td></tr>`;
  });
  const segments = r.segments.map((s) => `<tr><td>${s.id}</td><td>${escapeHtml(utc(s.taiStart))}</td><td>${s.buffers}</td><td>${s.fom}</td><td>${escapeHtml(s.status)}</td><td>${escapeHtml(s.sourceId)}</td></tr>`);
  const history = r.bufferHistory.map((h) => `<tr><td>${escapeHtml(stamp(h.at))}</td><td>${h.held}</td><td>${h.overwritten}</td><td>${h.transmitted}</td></tr>`);
  return `<section id="report"><h2>Report</h2>
<h3>Submissions</h3><table><thead><tr><th>#</th><th>kind</th><th>by</th><th>at (UTC)</th><th>selections</th><th>buffers</th><th class="wide">note</th></tr></thead><tbody>${submissions.join('')}</tbody></table>
<h3>Buffers per category</h3><p>Selected: ${selectedBy}.</p><table><thead><tr><th>category</th><th>FOM</th><th>automated (selections / buffers)</th><th>selected (selections / buffers)</th></tr></thead><tbody>${categories.join('')}</tbody></table>
<h3>Segments</h3><table><thead><tr><th>segment</th><th>start (UTC)</th><th>buffers</th><th>FOM</th><th>status</th><th>source</th></tr></thead><tbody>${segments.join('')}</tbody></table>
<h3>Buffer history</h3><table><thead><tr><th>at (UTC)</th><th>held</th><th>overwritten</th><th>transmitted</th></tr></thead><tbody>${history.join('')}</tbody></table></section>`;
}

/**
 * The SITL pages (team only): the evaluation windows, and one window's selections to edit —
 * FOM, bounds and discussion of each, validated as they change, submitted as a draft or uplinked
 * with the window close time. A FOM of 0 drops a selection (as in the SITL tool). Each window
 * shows when its selections are due with a live countdown and whether its SITL-level products
 * are ready; a window's page also shows the quicklook plot, the products per spacecraft and the report (what was selected, by whom, per category, buffer history).
 */
export function sitlPages(ctx: ApiContext, sitl: SitlService): Router {
  const router = Router();
  const mission = ctx.mission.config.id;
  const cycle = sitl.config.cycleSeconds;
  router.get('/sitl-page.js', (_req, res) => {
    res.type('application/javascript').send(SITL_PAGE_SCRIPT);
  });
  router.get('/', async (_req, res) => {
    const windows = await listWindows(ctx.db, mission, cycle, 100);
    const products = await windowProducts(ctx.db, ctx.mission.config, sitl.config.products, windows);
    const rows = windows.map((w) => `<tr><td><a href="/sitl/windows/${w.id}">${w.id}</a></td><td>${escapeHtml(utc(w.cycleStart))}</td><td>${escapeHtml(utc(w.cycleStart + w.numCycles * cycle))}</td><td>${w.selections.length}</td><td>${readinessBadge(products.get(w.id)!.readiness)}</td><td>${deadline(w)}</td></tr>`);
    res.type('html').send(page('SITL windows', `<h1>SITL windows</h1><table><thead><tr><th>window</th><th>start (UTC)</th><th>end (UTC)</th><th>automated selections</th><th>SITL products</th><th>state (deadline UTC)</th></tr></thead><tbody>${rows.join('')}</tbody></table><script src="/sitl/sitl-page.js"></script>`));
  });
  router.get('/windows/:id', async (req, res) => {
    const window = await findWindow(ctx.db, mission, Number(req.params.id), cycle);
    if (!window) throw new HttpRequestError('not-found', `no selection window ${req.params.id}`);
    const end = window.cycleStart + window.numCycles * cycle;
    const input = (name: string, value: string | number, attrs = '') => `<input name="${name}" value="${escapeHtml(String(value))}" ${attrs}>`;
    const rows = window.selections.map((s, i) => {
      const [a, b] = selectionSpan(window, s);
      return `<tr><td>${i + 1}</td><td>${input('start', s.start, 'type="number" min="0" style="width:6rem"')}</td><td>${input('stop', s.stop, 'type="number" min="0" style="width:6rem"')}</td><td>${input('fom', s.fom, 'type="number" step="any" style="width:6rem"')}</td><td class="wide">${escapeHtml(utc(a))} to ${escapeHtml(utc(b))}</td><td>${escapeHtml(s.sourceId)}</td><td>${input('discussion', s.discussion, 'maxlength="250"')}</td></tr>`;
    });
    const closed = window.uplinkedAt ? `<p class="bad">Closed by the final uplink of ${escapeHtml(window.uplinkedBy ?? '')} at ${escapeHtml(window.uplinkedAt.toISOString())}.</p>` : window.closesAt ? `<p id="deadline">Selections ${deadline(window)}</p>` : '';
    const report = await windowReport(ctx.db, mission, sitl.config, window);
    const products = (await windowProducts(ctx.db, ctx.mission.config, sitl.config.products, [window])).get(window.id)!;
    const plot = `<p><img id="plot" src="/api/v1/sitl/windows/${window.id}/plot.png" width="${WINDOW_PLOT.width}" height="${WINDOW_PLOT.height}" style="max-width:100%;height:auto" alt="burst metadata quality, automated selections (blue) and SITL selections (red) as FOM bars"></p>`;
    const body = `<h1>SITL window ${window.id}</h1>
<p>${escapeHtml(utc(window.cycleStart))} to ${escapeHtml(utc(end))} UTC, ${window.numCycles} buffers of ${cycle} s; automated selections <code>${escapeHtml(window.absFile)}</code>.</p>${closed}
${plot}
<form id="sitl-form" data-window="${window.id}" style="display:block">
<table><thead><tr><th>#</th><th>start cycle</th><th>stop cycle</th><th>FOM</th><th class="wide">time (UTC)</th><th>source</th><th>discussion</th></tr></thead><tbody>${rows.join('')}</tbody></table>
<p><label><input type="checkbox" name="confirm"> I confirm the warnings</label> <label><input type="checkbox" name="override"> override as super-SITL</label></p>
<p><button type="submit" name="draft">Submit draft</button> <label>window close (TAI) ${input('closeTai', end, 'type="number" style="width:9rem"')}</label> <button type="submit" name="uplink">Uplink (cannot be undone)</button></p>
</form>
<p id="result" role="status"></p><ul id="messages"></ul>
${productsSection(products)}
${reportSection(report)}
<style>.finding.error{color:#b00}.finding.confirm{color:#a60}.finding.super-sitl{color:#d50}</style>
<script src="/sitl/sitl-page.js"></script>`;
    res.type('html').send(page(`SITL window ${window.id}`, body));
  });
  return router;
}
