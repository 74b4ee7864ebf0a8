import type { Request, Response } from 'express';
import { sql } from 'kysely';
import { DateTime } from 'luxon';
import { principalOf } from '../access/auth-middleware.js';
import type { ApiContext } from '../api-context.js';
import { HttpRequestError } from '../http-errors.js';
import { visibleFilesQuery } from '../query/file-query.js';
import { escapeHtml, page, queryText } from './html.js';

/** `GET /availability?product=P&month=YYYY-MM`: a month calendar of the days with files of a product. */
export async function availabilityPage(ctx: ApiContext, req: Request, res: Response): Promise<void> {
  const mission = ctx.mission.config;
  const principal = principalOf(res);
  const products = await ctx.db.selectFrom(visibleFilesQuery(ctx.db, { mission: mission.id, principal, latestOnly: false }).as('f')).select('f.product').distinct().orderBy('f.product').limit(2000).execute();
  const product = queryText(req.query, 'product') || products[0]?.product || '';
  const monthText = queryText(req.query, 'month') || DateTime.utc().toFormat('yyyy-MM');
  const month = DateTime.fromFormat(monthText, 'yyyy-MM', { zone: 'utc' });
  if (!month.isValid) throw new HttpRequestError('invalid-request', `month must look like 2015-10, got '${monthText}'`);
  const from = month.startOf('month');
  const to = month.endOf('month');
  const latest = visibleFilesQuery(ctx.db, { mission: mission.id, principal, filters: { product: [product] }, time: { mode: 'start', from: from.toJSDate(), to: to.toJSDate() }, latestOnly: true });
  const days = await ctx.db.selectFrom(latest.as('f')).select([sql<string>`to_char(f.start_time at time zone 'UTC', 'YYYY-MM-DD')`.as('day'), sql<string>`count(*)`.as('files')]).groupBy('day').execute();
  const counts = new Map(days.map((d) => [d.day, Number(d.files)]));
  const blanks = Array.from({ length: from.weekday - 1 }, () => '<div></div>');
  const cells = Array.from({ length: to.day }, (_, i) => {
    const date = from.plus({ days: i });
    const n = counts.get(date.toISODate() ?? '') ?? 0;
    const link = `/?date=${date.toISODate()}`;
    return n > 0 ? `<div class="has" title="${n} files"><a style="color:#fff" href="${link}">${date.day}</a></div>` : `<div title="no file">${date.day}</div>`;
  });
  const options = products.map((p) => `<option${p.product === product ? ' selected' : ''}>${escapeHtml(p.product)}</option>`).join('');
  res.type('html').send(
    page(
      `${mission.name} data availability`,
      `<h1>Data availability</h1>
<form method="get" action="/availability"><label>product <select name="product">${options}</select></label>
<label>month <input type="month" name="month" value="${escapeHtml(from.toFormat('yyyy-MM'))}"></label><button type="submit">show</button></form>
<h2>${escapeHtml(product)}: ${from.toFormat('LLLL yyyy')}</h2>
<div class="cal">${['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].map((d) => `<div><b>${d}</b></div>`).join('')}${[...blanks, ...cells].join('')}</div>
<p>${counts.size} of ${to.day} days have data.</p>`,
    ),
  );
}
