import { Router } from 'express';
import type { ApiContext } from '../api-context.js';
import { availabilityRoute } from './availability-route.js';
import { bundleRoute } from './bundle-route.js';
import { jobsRoutes } from './jobs-routes.js';
import { openApiDocument } from './openapi-document.js';
import { processorsRoute } from './processors-route.js';
import { fileProvenanceRoute, keysRoute, verifyRoute } from './provenance-routes.js';
import { releasesRoutes } from './releases-routes.js';

/** The rest of `/api/v1`: availability, bundles, releases, jobs and the OpenAPI description. */
export function apiRoutes(ctx: ApiContext): Router {
  const router = Router();
  router.get('/openapi.json', (_req, res) => {
    res.json(openApiDocument(ctx.mission.config.name));
  });
  router.use('/availability', availabilityRoute(ctx));
  router.use('/bundles', bundleRoute(ctx));
  router.use('/releases', releasesRoutes(ctx));
  router.use('/jobs', jobsRoutes(ctx));
  router.use('/processors', processorsRoute(ctx));
  router.use('/files', fileProvenanceRoute(ctx));
  router.use('/verify', verifyRoute(ctx));
  router.use('/keys', keysRoute(ctx));
  return router;
}
