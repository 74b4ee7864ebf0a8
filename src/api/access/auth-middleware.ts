import type { RequestHandler, Response } from 'express';
import type { Authenticator, AuthOutcome } from './authenticator.js';
import { ANONYMOUS, isTeam, type Principal } from './principal.js';

/** The principal the auth middleware attached to a response. */
export function principalOf(res: Response): Principal {
  return (res.locals.principal as Principal | undefined) ?? ANONYMOUS;
}

/** Public paths: every request is anonymous, whatever `Authorization` it carries. */
export function anonymousOnly(): RequestHandler {
  return (_req, res, next) => {
    res.locals.principal = ANONYMOUS;
    next();
  };
}

/** Our own API and pages: anonymous without credentials; wrong credentials are refused (401). */
export function optionalAuth(auth: Authenticator, realm: string): RequestHandler {
  return async (req, res, next) => {
    const outcome = await auth.authenticate(req.headers.authorization, req.ip ?? '');
    if (outcome.status === 'missing') {
      res.locals.principal = ANONYMOUS;
      next();
      return;
    }
    if (outcome.status === 'ok') {
      res.locals.principal = outcome.principal;
      next();
      return;
    }
    refuse(res, outcome, realm);
  };
}

/** Team paths: a team member of this mission, or 401 with `WWW-Authenticate` (403 without roles). */
export function requireTeam(auth: Authenticator, realm: string): RequestHandler {
  return async (req, res, next) => {
    const outcome = await auth.authenticate(req.headers.authorization, req.ip ?? '');
    if (outcome.status !== 'ok') {
      refuse(res, outcome, realm);
      return;
    }
    if (!isTeam(outcome.principal)) {
      res.status(403).json({ error: { code: 'forbidden', message: `user '${outcome.principal.kind === 'team' ? outcome.principal.user : ''}' has no role in this mission` } });
      return;
    }
    res.locals.principal = outcome.principal;
    next();
  };
}

/**
 * Routes for some roles only (the team mirror feed): anonymous 401 with `WWW-Authenticate`, a
 * principal `allowed` refuses 403 naming `roles`. Mounted after `optionalAuth`, which attached the principal.
 */
export function requireRole(realm: string, what: string, roles: string, allowed: (principal: Principal) => boolean): RequestHandler {
  return (_req, res, next) => {
    const principal = principalOf(res);
    if (principal.kind === 'anonymous') {
      res.set('WWW-Authenticate', `Basic realm="${realm.replace(/["\\]/g, '')}", charset="UTF-8"`).status(401).json({ error: { code: 'unauthorized', message: `${what} needs ${roles} credentials (HTTP Basic or a bearer token)` } });
      return;
    }
    if (!allowed(principal)) {
      res.status(403).json({ error: { code: 'forbidden', message: `${what} needs the ${roles} role for every instrument (*); user '${principal.user}' does not hold it` } });
      return;
    }
    next();
  };
}

function refuse(res: Response, outcome: Exclude<AuthOutcome, { status: 'ok' }>, realm: string): void {
  if (outcome.status === 'rate-limited') {
    res.set('Retry-After', String(outcome.retryAfterSeconds)).status(429).json({ error: { code: 'rate-limited', message: 'too many failed logins; try again later' } });
    return;
  }
  res.set('WWW-Authenticate', `Basic realm="${realm.replace(/["\\]/g, '')}", charset="UTF-8"`);
  const message = outcome.status === 'missing' ? 'this path needs team credentials (HTTP Basic or a bearer token)' : 'invalid credentials';
  res.status(401).json({ error: { code: 'unauthorized', message } });
}
