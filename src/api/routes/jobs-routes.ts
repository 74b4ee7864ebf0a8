import { Router } from 'express';
import { sql } from 'kysely';
import { principalOf } from '../access/auth-middleware.js';
import { isTeam } from '../access/principal.js';
import type { ApiContext } from '../api-context.js';
import { HttpRequestError } from '../http-errors.js';

/** Most jobs one listing returns. */
const MAX_JOBS = 500;

/** The order of the job dashboard: what needs attention first. */
export const JOB_STATE_ORDER = sql<number>`case state when 'dead' then 0 when 'failed' then 1 when 'retrying' then 2 when 'running' then 3 when 'queued' then 4 else 5 end`;

/** `GET /api/v1/jobs` (failures first) and `GET /api/v1/jobs/:id` (with its log): team only. */
export function jobsRoutes(ctx: ApiContext): Router {
  const router = Router();
  router.use((_req, res, next) => {
    if (!isTeam(principalOf(res))) throw new HttpRequestError('not-found', 'no such endpoint');
    next();
  });
  router.get('/', async (_req, res) => {
    res.json({ jobs: await listJobs(ctx, MAX_JOBS) });
  });
  router.get('/:id', async (req, res) => {
    const id = Number(req.params.id);
    if (!Number.isSafeInteger(id) || id < 1) throw new HttpRequestError('invalid-request', `job id must be a positive integer, got '${req.params.id}'`);
    const job = await ctx.db.selectFrom('jobs').selectAll().where('id', '=', id).where('mission', '=', ctx.mission.config.id).executeTakeFirst();
    if (!job) throw new HttpRequestError('not-found', `no job ${id}`);
    res.json({ job });
  });
  return router;
}

/** Jobs of the mission, failures first, then newest first. */
export async function listJobs(ctx: ApiContext, limit: number) {
  return ctx.db
    .selectFrom('jobs')
    .select(['id', 'rule', 'processor', 'processor_version', 'tier', 'group_key', 'window_start', 'state', 'attempts', 'error', 'created_at', 'finished_at'])
    .where('mission', '=', ctx.mission.config.id)
    .orderBy(JOB_STATE_ORDER)
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}
