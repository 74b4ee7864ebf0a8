import express, { Router, type Express } from 'express';
import type { SitlService } from '../../sitl/sitl-service.js';
import { anonymousOnly, optionalAuth, requireTeam } from '../access/auth-middleware.js';
import type { Authenticator } from '../access/authenticator.js';
import type { ApiContext } from '../api-context.js';
import { latisRoutes } from './latis-routes.js';
import { sitlPages } from './sitl-pages.js';
import { sitlRoutes } from './sitl-routes.js';

/**
 * Mounts the SITL endpoints (before the file services, which would refuse the validation data
 * type): the legacy CSV services under the mission's public and team prefixes, the
 * validation-limits file under the team file services, `/api/v1/sitl` and the SITL pages (`/sitl`).
 */
export function mountSitlRoutes(app: Express, ctx: ApiContext, sitl: SitlService, authenticator: Authenticator, realm: string): void {
  const { latis, validationDataType } = sitl.config;
  app.use(latis.publicPrefix, anonymousOnly(), latisRoutes(ctx, sitl, 'public'));
  app.use(latis.teamPrefix, requireTeam(authenticator, realm), latisRoutes(ctx, sitl, 'team'));
  const teamFiles = ctx.mission.config.api.compat?.teamPrefix;
  if (teamFiles && validationDataType) app.use(teamFiles, requireTeam(authenticator, realm), validationFileRoute(sitl, validationDataType));
  app.use('/api/v1/sitl', optionalAuth(authenticator, realm), express.json({ limit: '1mb' }), sitlRoutes(ctx, sitl));
  app.use('/sitl', requireTeam(authenticator, realm), sitlPages(ctx, sitl));
}

/** `download/<dataType>`: the validation limits, read by the SITL tool at each start. */
function validationFileRoute(sitl: SitlService, dataType: string): Router {
  const router = Router();
  const send: express.RequestHandler = (_req, res) => {
    const file = sitl.adapter.encodeValidationLimits(sitl.config);
    const binary = typeof file.content !== 'string';
    res.type(binary ? 'application/octet-stream' : 'application/json').set('Content-Disposition', `attachment; filename="${file.name}"`).send(binary ? Buffer.from(file.content as Uint8Array) : file.content);
  };
  router.get(`/download/${dataType}`, send);
  router.post(`/download/${dataType}`, send);
  return router;
}
