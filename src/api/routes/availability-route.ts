import { Router } from 'express';
import { sql } from 'kysely';
import { principalOf } from '../access/auth-middleware.js';
import type { ApiContext } from '../api-context.js';
import { HttpRequestError } from '../http-errors.js';
import { visibleFilesQuery } from '../query/file-query.js';
import { parseTime } from '../query/search-params.js';

/** Longest span one availability request may cover. */
const MAX_DAYS = 3_700;

/** `GET /api/v1/availability?product=P&from=D&to=D`: files and bytes per day (latest visible versions). */
export function availabilityRoute(ctx: ApiContext): Router {
  const router = Router();
  router.get('/', async (req, res) => {
    const q = req.query as Record<string, unknown>;
    const product = typeof q.product === 'string' ? q.product : undefined;
    if (!product) throw new HttpRequestError('invalid-request', 'product is required (e.g. ?product=<product id>&from=2015-10-01&to=2015-10-31)');
    const from = parseTime(typeof q.from === 'string' ? q.from : undefined, 'from') ?? new Date(Date.now() - 30 * 86_400_000);
    const to = parseTime(typeof q.to === 'string' ? q.to : undefined, 'to') ?? new Date();
    if (to < from) throw new HttpRequestError('invalid-request', 'to is before from');
    if (to.getTime() - from.getTime() > MAX_DAYS * 86_400_000) throw new HttpRequestError('invalid-request', `one request covers at most ${MAX_DAYS} days`);
    const latest = visibleFilesQuery(ctx.db, { mission: ctx.mission.config.id, principal: principalOf(res), filters: { product: [product] }, time: { mode: 'start', from, to }, latestOnly: true });
    const rows = await ctx.db
      .selectFrom(latest.as('f'))
      .select([sql<string>`to_char(f.start_time at time zone 'UTC', 'YYYY-MM-DD')`.as('day'), sql<string>`count(*)`.as('files'), sql<string>`sum(f.size)`.as('bytes')])
      .groupBy('day')
      .orderBy('day')
      .execute();
    res.json({ product, from: from.toISOString(), to: to.toISOString(), days: rows.map((r) => ({ day: r.day, files: Number(r.files), bytes: Number(r.bytes) })) });
  });
  return router;
}
