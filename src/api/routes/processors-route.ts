import { Router } from 'express';
import { sql } from 'kysely';
import { principalOf } from '../access/auth-middleware.js';
import { isTeam } from '../access/principal.js';
import type { ApiContext } from '../api-context.js';
import { HttpRequestError } from '../http-errors.js';

/** Job states counted per processor version. */
const STATES = ['queued', 'running', 'retrying', 'failed', 'dead', 'succeeded'] as const;

/**
 * `GET /api/v1/processors` (team only): the processor versions active in each tier, who deployed
 * them and when, with their jobs counted per state and the time of their last success and last
 * failure: what a team checks to see whether its processing is healthy.
 */
export function processorsRoute(ctx: ApiContext): Router {
  const router = Router();
  router.get('/', async (_req, res) => {
    if (!isTeam(principalOf(res))) throw new HttpRequestError('not-found', 'no such endpoint');
    const mission = ctx.mission.config.id;
    const deployments = await ctx.db
      .selectFrom('processor_deployments')
      .select(['name', 'version', 'tier', 'deployed_at', 'deployed_by', 'manifest'])
      .where('mission', '=', mission)
      .where('active', '=', true)
      .orderBy('name')
      .orderBy('tier')
      .execute();
    const counts = await ctx.db
      .selectFrom('jobs')
      .select(['processor', 'processor_version', 'tier', 'state', sql<string>`count(*)`.as('jobs'), sql<Date | null>`max(finished_at)`.as('last_finished')])
      .where('mission', '=', mission)
      .groupBy(['processor', 'processor_version', 'tier', 'state'])
      .execute();
    res.json({
      processors: deployments.map((d) => {
        const own = counts.filter((c) => c.processor === d.name && c.processor_version === d.version && c.tier === d.tier);
        const last = (states: readonly string[]) => latest(own.filter((c) => states.includes(c.state)).map((c) => c.last_finished));
        return {
          name: d.name,
          version: d.version,
          tier: d.tier,
          instrument: (d.manifest as { instrument?: string } | null)?.instrument ?? null,
          deployedAt: new Date(d.deployed_at).toISOString(),
          deployedBy: d.deployed_by,
          jobs: Object.fromEntries(STATES.map((s) => [s, Number(own.find((c) => c.state === s)?.jobs ?? 0)])),
          lastSucceededAt: last(['succeeded']),
          lastFailedAt: last(['failed', 'dead']),
        };
      }),
    });
  });
  return router;
}

function latest(times: readonly (Date | null)[]): string | null {
  const values = times.filter((t): t is Date => t !== null).map((t) => new Date(t).getTime());
  return values.length === 0 ? null : new Date(Math.max(...values)).toISOString();
}
