import express, { type Express, type RequestHandler } from 'express';
import helmet from 'helmet';
import { sql } from 'kysely';
import { anonymousOnly, optionalAuth, requireTeam } from './access/auth-middleware.js';
import { Authenticator } from './access/authenticator.js';
import { LoginRateLimiter } from './access/login-rate-limiter.js';
import { OidcVerifier } from './access/oidc-verifier.js';
import { TeamAccounts } from './access/team-accounts.js';
import type { ApiContext } from './api-context.js';
import { compatRoutes } from './compat/compat-routes.js';
import { compatUploadRoute } from './compat/compat-upload-route.js';
import { staticIndexRoutes } from './compat/static-index-routes.js';
import { errorHandler } from './http-errors.js';
import { HttpMetrics } from './http-metrics.js';
import { registerOperationsMetrics } from '../operations/operations-metrics.js';
import { pagesRoutes } from './pages/pages-routes.js';
import { mountSitlRoutes } from './sitl/mount-sitl-routes.js';
import { apiRoutes } from './routes/api-routes.js';
import { filesRoutes } from './routes/files-routes.js';
import { verifyRoute } from './routes/provenance-routes.js';
import { mirrorRoutes } from './routes/mirror-routes.js';
import { uploadRoute } from './routes/upload-route.js';

/** A client address may fail this many times more than one user name (shared addresses). */
const CLIENT_LIMIT_FACTOR = 10;

/**
 * The Express app: the mission's legacy file services under its public and team prefixes, the
 * JSON API under /api/v1 (OpenAPI at /api/v1/openapi.json), pages, /healthz and /metrics.
 */
export function createApp(ctx: ApiContext): Express {
  const app = express();
  const mission = ctx.mission.config;
  const realm = mission.api.compat?.realm ?? `${mission.name} SDC`;
  const auth = ctx.auth ?? { maxFailedLogins: 10, failedLoginWindowMs: 900_000 };
  const authenticator = new Authenticator(new TeamAccounts(ctx.db, mission.id), { perUser: new LoginRateLimiter(auth.maxFailedLogins, auth.failedLoginWindowMs), perClient: new LoginRateLimiter(auth.maxFailedLogins * CLIENT_LIMIT_FACTOR, auth.failedLoginWindowMs) }, auth.oidc ? new OidcVerifier(auth.oidc) : undefined);
  const metrics = new HttpMetrics();
  registerOperationsMetrics(metrics.registry, { db: ctx.db, bus: ctx.bus, mission: mission.id, instruments: mission.instruments.map((i) => i.id), backupTargets: ctx.backupTargets ?? [] });
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.use((req, _res, next) => {
    // Some clients build URLs with `//` (pyrfu: `.../api/v1//file_info/science`).
    req.url = req.url.replace(/^[^?]*/, (path) => path.replace(/\/{2,}/g, '/'));
    next();
  });
  app.use(metrics.middleware((entry) => ctx.logger.http('request', entry)));
  app.use(refuseControlCharacters);
  app.use(helmet({ strictTransportSecurity: false }));
  app.get('/healthz', async (_req, res) => {
    const checks = await Promise.allSettled([sql`select 1`.execute(ctx.db), ctx.bus.ping(), ctx.store.ping()]);
    const [catalog, bus, store] = checks.map((c) => (c.status === 'fulfilled' ? 'ok' : `down: ${(c.reason as Error).message}`));
    const ok = checks.every((c) => c.status === 'fulfilled');
    res.status(ok ? 200 : 503).json({ status: ok ? 'ok' : 'degraded', catalog, bus, store });
  });
  app.get('/metrics', async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  if (ctx.sitl) mountSitlRoutes(app, ctx, ctx.sitl, authenticator, realm);
  const compat = mission.api.compat;
  if (compat) {
    app.use(compat.publicPrefix, anonymousOnly(), compatRoutes(ctx, compat));
    for (const index of compat.indexes) app.use(index.path, anonymousOnly(), staticIndexRoutes(ctx, index));
    app.use(compat.teamPrefix, requireTeam(authenticator, realm), compatUploadRoute(ctx), compatRoutes(ctx, compat));
  }
  app.use('/api/v1', optionalAuth(authenticator, realm));
  // Before the JSON parser: an upload's body is the file, whatever its Content-Type.
  app.use('/api/v1/files', uploadRoute(ctx));
  app.use('/api/v1', express.json({ limit: '64kb' }));
  app.use('/api/v1/files', filesRoutes(ctx));
  // The public feed (released files) to anyone; the team archive to mirror and operator accounts only.
  app.use('/api/v1/mirror', mirrorRoutes(ctx, realm));
  app.use('/api/v1', apiRoutes(ctx));
  app.use('/verify', optionalAuth(authenticator, realm), verifyRoute(ctx));
  app.use(optionalAuth(authenticator, realm), pagesRoutes(ctx));
  app.use((_req, res) => {
    res.status(404).json({ error: { code: 'not-found', message: 'no such endpoint' } });
  });
  app.use(errorHandler(ctx.logger));
  return app;
}

/** No name, path or parameter holds a control character (NUL would reach the catalog): a 400 says so. */
const refuseControlCharacters: RequestHandler = (req, res, next) => {
  let decoded: string;
  try {
    decoded = decodeURIComponent(req.url.replace(/\+/g, ' '));
  } catch {
    res.status(400).json({ error: { code: 'invalid-request', message: 'the URL holds a malformed percent-encoding' } });
    return;
  }
  if (/[\u0000-\u001f\u007f]/.test(decoded)) {
    res.status(400).json({ error: { code: 'invalid-request', message: 'the URL holds a control character' } });
    return;
  }
  next();
};
