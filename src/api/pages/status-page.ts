import type { Request, Response } from 'express';
import { sql } from 'kysely';
import { DateTime } from 'luxon';
import { principalOf } from '../access/auth-middleware.js';
import { isTeam } from '../access/principal.js';
import type { ApiContext } from '../api-context.js';
import { HttpRequestError } from '../http-errors.js';
import { latencyReport, type LatencyReport } from '../../operations/data-latency.js';
import { humanDuration, stageText } from '../../operations/latency-report-text.js';
import { OperatorAlertLedger } from '../../operations/operator-alert-ledger.js';
import { escapeHtml, page, queryText } from './html.js';

/** Public products listed at most. */
const MAX_PRODUCTS = 500;

/**
 * `GET /status?day=YYYY-MM-DD`: the public part shows, per product, the public data (latest
 * day, files) and the last release; team members also see the day's data latency against the
 * mission's thresholds (what is late), the jobs that failed and the operators' open alerts.
 */
export async function statusPage(ctx: ApiContext, req: Request, res: Response): Promise<void> {
  const mission = ctx.mission.config;
  const dayText = queryText(req.query, 'day') || (DateTime.utc().minus({ days: 1 }).toISODate() ?? '');
  if (!DateTime.fromFormat(dayText, 'yyyy-MM-dd', { zone: 'utc' }).isValid) throw new HttpRequestError('invalid-request', `day must look like 2015-10-16, got '${dayText}'`);
  const team = isTeam(principalOf(res));
  const parts = [`<h1>${escapeHtml(mission.name)} SDC status</h1>`, await publicPart(ctx)];
  if (team) parts.push(await teamPart(ctx, dayText));
  else parts.push('<p>Team members who log in also see data latency, failed jobs and alerts.</p>');
  res.type('html').send(page(`${mission.name} SDC status`, parts.join('\n')));
}

async function publicPart(ctx: ApiContext): Promise<string> {
  const rows = await ctx.db
    .selectFrom('files')
    .select(['product', sql<string>`count(distinct stem)`.as('files'), sql<Date>`max(end_time)`.as('latest'), sql<Date>`max(released_at)`.as('released')])
    .where('mission', '=', ctx.mission.config.id)
    .where('tier', '=', 'production')
    .where('released_at', 'is not', null)
    .groupBy('product')
    .orderBy('product')
    .limit(MAX_PRODUCTS)
    .execute();
  const body = rows
    .map((r) => `<tr><td><a href="/availability?product=${encodeURIComponent(r.product)}&month=${new Date(r.latest).toISOString().slice(0, 7)}">${escapeHtml(r.product)}</a></td><td>${new Date(r.latest).toISOString().slice(0, 10)}</td><td class="wide">${r.files}</td><td>${new Date(r.released).toISOString().slice(0, 16).replace('T', ' ')}</td></tr>`)
    .join('\n');
  return `<h2>Public data</h2>
<p>${rows.length} product(s) with public files.</p>
<table id="public"><thead><tr><th>product</th><th>public data up to</th><th class="wide">files</th><th>last release (UTC)</th></tr></thead><tbody>${body}</tbody></table>`;
}

async function teamPart(ctx: ApiContext, day: string): Promise<string> {
  const report = await latencyReport(ctx.db, ctx.mission.config.id, ctx.mission.config.latency, day);
  const alerts = await new OperatorAlertLedger(ctx.db, 0).open();
  const alertRows = alerts.map((a) => `<tr><td class="bad">${escapeHtml(a.subject)}</td><td class="wide">${escapeHtml(a.firstSeenAt.toISOString().slice(0, 16).replace('T', ' '))}</td><td class="wide">${escapeHtml(a.detail)}</td></tr>`).join('\n');
  return `<h2>Alerts</h2>
${alerts.length === 0 ? '<p id="no-alerts">No open alert.</p>' : `<table id="alerts"><thead><tr><th>alert</th><th class="wide">since (UTC)</th><th class="wide">detail</th></tr></thead><tbody>${alertRows}</tbody></table>`}
<h2>Data latency of ${escapeHtml(day)}</h2>
<form method="get" action="/status"><label>day <input type="date" name="day" value="${escapeHtml(day)}"></label><button type="submit">show</button></form>
${latencyTable(report)}
<h2>Late</h2>
${report.late.length === 0 ? '<p id="nothing-late">Nothing late.</p>' : `<ul id="late">${report.late.map((l) => `<li class="bad">${escapeHtml(l.stem)}: ${l.stage} ${l.waiting ? 'still waiting after' : 'took'} ${humanDuration(l.seconds)} (limit ${humanDuration(l.thresholdSeconds)})</li>`).join('')}</ul>`}
<h2>Failed jobs</h2>
${report.failedJobs.length === 0 ? '<p>No failed job.</p>' : `<ul id="failed">${report.failedJobs.map((j) => `<li class="bad"><a href="/api/v1/jobs/${j.id}">job ${j.id}</a> ${escapeHtml(j.state)} ${escapeHtml(j.processor)}@${escapeHtml(j.version)} ${escapeHtml(j.groupKey)}: ${escapeHtml(j.error ?? '')}</li>`).join('')}</ul>`}`;
}

function latencyTable(report: LatencyReport): string {
  const late = new Set(report.late.map((l) => `${l.product}/${l.stage}`));
  const cell = (product: string, stage: 'arrival' | 'available' | 'released', text: string, wide = false) => `<td class="${[late.has(`${product}/${stage}`) ? 'bad' : '', wide ? 'wide' : ''].join(' ').trim()}">${escapeHtml(text)}</td>`;
  const rows = report.products
    .map((p) => `<tr><td>${escapeHtml(p.product)}</td><td class="wide">${p.files}</td>${cell(p.product, 'arrival', stageText(p.arrival), true)}${cell(p.product, 'available', stageText(p.available))}${cell(p.product, 'released', stageText(p.released))}</tr>`)
    .join('\n');
  return `<table id="latency"><thead><tr><th>product</th><th class="wide">files</th><th class="wide">arrival (median / max)</th><th>available</th><th>released</th></tr></thead><tbody>${rows}</tbody></table>
<p>Times from the end of the data; ${report.products.length} product(s) with data that day.</p>`;
}
