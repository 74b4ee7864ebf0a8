import { Router } from 'express';
import { listWindows, findWindow } from '../../sitl/selection-windows.js';
import { selectionSpan } from '../../sitl/selection-validation.js';
import type { SitlService } from '../../sitl/sitl-service.js';
import { taiToDate } from '../../sitl/tai-seconds.js';
import type { ApiContext } from '../api-context.js';
import { HttpRequestError } from '../http-errors.js';
import { escapeHtml, page } from '../pages/html.js';
import { SITL_PAGE_SCRIPT } from './sitl-page-script.js';

const utc = (tai: number) => taiToDate(tai).toISOString().slice(0, 19).replace('T', ' ');

/**
 * The SITL pages (team only): the evaluation windows, and one window's selections to edit —
 * FOM, bounds and discussion of each, validated as they change, submitted as a draft or uplinked
 * with the window close time. A FOM of 0 drops a selection (as in the SITL tool).
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
    const rows = windows.map((w) => `<tr><td><a href="/sitl/windows/${w.id}">${w.id}</a></td><td>${escapeHtml(utc(w.cycleStart))}</td><td>${escapeHtml(utc(w.cycleStart + w.numCycles * cycle))}</td><td>${w.selections.length}</td><td>${w.uplinkedAt ? `closed by ${escapeHtml(w.uplinkedBy ?? '')}` : 'open'}</td></tr>`);
    res.type('html').send(page('SITL windows', `<h1>SITL windows</h1><table><thead><tr><th>window</th><th>start (UTC)</th><th>end (UTC)</th><th>automated selections</th><th>state</th></tr></thead><tbody>${rows.join('')}</tbody></table>`));
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
    const closed = window.uplinkedAt ? `<p class="bad">Closed by the final uplink of ${escapeHtml(window.uplinkedBy ?? '')} at ${escapeHtml(window.uplinkedAt.toISOString())}.</p>` : '';
    const body = `<h1>SITL window ${window.id}</h1>
<p>${escapeHtml(utc(window.cycleStart))} to ${escapeHtml(utc(end))} UTC, ${window.numCycles} buffers of ${cycle} s; automated selections <code>${escapeHtml(window.absFile)}</code>.</p>${closed}
<form id="sitl-form" data-window="${window.id}" style="display:block">
<table><thead><tr><th>#</th><th>start cycle</th><th>stop cycle</th><th>FOM</th><th class="wide">time (UTC)</th><th>source</th><th>discussion</th></tr></thead><tbody>${rows.join('')}</tbody></table>
<p><label><input type="checkbox" name="confirm"> I confirm the warnings</label> <label><input type="checkbox" name="override"> override as super-SITL</label></p>
<p><button type="submit" name="draft">Submit draft</button> <label>window close (TAI) ${input('closeTai', end, 'type="number" style="width:9rem"')}</label> <button type="submit" name="uplink">Uplink (cannot be undone)</button></p>
</form>
<p id="result" role="status"></p><ul id="messages"></ul>
<style>.finding.error{color:#b00}.finding.confirm{color:#a60}.finding.super-sitl{color:#d50}</style>
<script src="/sitl/sitl-page.js"></script>`;
    res.type('html').send(page(`SITL window ${window.id}`, body));
  });
  return router;
}
