import { Router } from 'express';
import { z } from 'zod';
import { principalOf } from '../access/auth-middleware.js';
import { canApprove, isTeam, type Principal } from '../access/principal.js';
import type { ApiContext } from '../api-context.js';
import { ForbiddenError, HttpRequestError } from '../http-errors.js';
import { ReleaseService } from '../release/release-service.js';
import { ReleaseSnapshots } from '../release/release-snapshots.js';

const decision = z.object({ product: z.string().min(1).max(200), version: z.string().min(1).max(50), reason: z.string().max(2000).optional() }).strict();

/**
 * `GET /api/v1/releases` (named releases), `GET /api/v1/releases/:name`; for teams
 * `GET /api/v1/releases/audit`, `POST /api/v1/releases/approvals` and `/withdrawals`
 * (`{product, version[, reason]}`; instrument admins of the product's instrument, operators).
 */
export function releasesRoutes(ctx: ApiContext): Router {
  const router = Router();
  const mission = ctx.mission.config;
  const service = new ReleaseService(ctx.db, mission.id, mission.release.rules);
  const snapshots = new ReleaseSnapshots(ctx.db, mission.id);

  router.get('/', async (_req, res) => {
    res.json({ releases: await snapshots.list() });
  });
  router.get('/audit', async (_req, res) => {
    if (!isTeam(principalOf(res))) throw new HttpRequestError('not-found', 'no such endpoint');
    const rows = await service.audit();
    res.json({ audit: rows.map((r) => ({ action: r.action, actor: r.actor, product: r.product, version: r.version_label, files: r.files, detail: r.detail, at: new Date(r.at).toISOString() })) });
  });
  router.get('/:name', async (req, res) => {
    const release = await snapshots.get(req.params.name as string);
    res.json({ ...release, filesUrl: `/api/v1/files?release=${encodeURIComponent(release.name)}` });
  });
  router.post('/approvals', async (req, res) => {
    const body = parse(req.body);
    await authorise(ctx, principalOf(res), body.product);
    await service.approve(body.product, body.version, actorOf(principalOf(res)));
    res.status(201).json({ approved: { product: body.product, version: body.version } });
  });
  router.post('/withdrawals', async (req, res) => {
    const body = parse(req.body);
    if (!body.reason) throw new HttpRequestError('invalid-request', 'a withdrawal needs a reason');
    await authorise(ctx, principalOf(res), body.product);
    const files = await service.withdraw(body.product, body.version, actorOf(principalOf(res)), body.reason);
    res.status(201).json({ withdrawn: { product: body.product, version: body.version, files } });
  });
  return router;
}

function parse(body: unknown) {
  const result = decision.safeParse(body);
  if (!result.success) throw new HttpRequestError('invalid-request', `body must be JSON {product, version, reason?}: ${result.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ')}`);
  return result.data;
}

/** The product's instrument comes from its catalogued files; approving needs a role for it. */
async function authorise(ctx: ApiContext, principal: Principal, product: string): Promise<void> {
  const file = await ctx.db.selectFrom('files').select('instrument').where('mission', '=', ctx.mission.config.id).where('product', '=', product).limit(1).executeTakeFirst();
  if (!file) throw new HttpRequestError('not-found', `no product '${product}' in the catalog`);
  if (!canApprove(principal, file.instrument)) throw new ForbiddenError(`approving releases of '${product}' needs the instrument-admin role for ${file.instrument ?? 'every instrument'} or the operator role`);
}

function actorOf(principal: Principal): string {
  return principal.kind === 'team' ? `${principal.user} (${principal.via})` : 'anonymous';
}
