import { Router, type Request, type Response } from 'express';
import { archiveDb, type ArchiveDb, type MirrorFeed } from '../../archive/archive-tables.js';
import { acknowledge, changesAfter, fullManifest, latestCursor, MirrorRegistrationError, mirrorLag } from '../../archive/mirror/mirror-feed.js';
import { principalOf, requireRole } from '../access/auth-middleware.js';
import { canMirrorTeamArchive, isOperator } from '../access/principal.js';
import type { ApiContext } from '../api-context.js';
import { ForbiddenError, HttpRequestError } from '../http-errors.js';

const MAX_PAGE = 1000;

/**
 * The mirror feeds under `/api/v1/mirror`, mounted after `optionalAuth`:
 *
 * - the public feed of released files, to anyone: `GET /public/manifest`,
 *   `GET /public/changes?after=CURSOR&limit=N` (in release order), `GET /public/files/:name`;
 * - the team archive (every production file, released or not; staging never), to a mirror's
 *   account (role `mirror` for `*`) or an operator: `GET /manifest`, `GET /changes` (in
 *   ingestion order), `GET /files/:name`;
 * - `POST /mirrors/:name/ack?cursor=N&feed=team|public` (a registered mirror's progress; a
 *   mirror or operator account), `GET /mirrors` (lag per mirror; operators).
 */
export function mirrorRoutes(ctx: Pick<ApiContext, 'db' | 'store' | 'mission'>, realm: string): Router {
  const router = Router();
  const db = archiveDb(ctx.db);
  const mission = ctx.mission.config.id;
  const mirrorAccount = requireRole(realm, 'the team mirror feed', 'mirror or operator', canMirrorTeamArchive);
  const operator = requireRole(realm, 'mirror lag', 'operator', isOperator);

  router.use('/public', feedRoutes(ctx, db, mission, 'public'));

  router.post('/mirrors/:name/ack', requireRole(realm, 'acknowledging a mirror cursor', 'mirror or operator', canMirrorTeamArchive), async (req, res) => {
    const name = String(req.params.name);
    if (!/^[a-z0-9][a-z0-9.-]{0,62}$/.test(name)) throw new HttpRequestError('invalid-request', 'a mirror name is lowercase letters, digits, dots and dashes');
    const cursor = integer((req.body as { cursor?: unknown } | undefined)?.cursor ?? req.query.cursor, 'cursor', -1);
    if (cursor < 0) throw new HttpRequestError('invalid-request', 'cursor is required');
    const feed = feedOf(req.query.feed);
    const principal = principalOf(res);
    if (principal.kind !== 'team') throw new ForbiddenError('a mirror acknowledges with its account');
    try {
      await acknowledge(db, { name, feed, account: principal.user, asOperator: isOperator(principal) }, cursor);
    } catch (error) {
      if (error instanceof MirrorRegistrationError && error.reason === 'account') throw new ForbiddenError(error.message);
      throw error;
    }
    res.json({ name, feed, cursor });
  });

  router.get('/mirrors', operator, async (_req, res) => {
    res.json({ mirrors: await mirrorLag(db, mission) });
  });

  router.use(mirrorAccount, feedRoutes(ctx, db, mission, 'team'));
  return router;
}

/** `/manifest`, `/changes`, `/files/:name` of one feed. */
function feedRoutes(ctx: Pick<ApiContext, 'store'>, db: ArchiveDb, mission: string, feed: MirrorFeed): Router {
  const router = Router();

  router.get('/manifest', async (_req, res) => {
    res.json({ cursor: await latestCursor(db, feed, mission), files: await fullManifest(db, feed, mission) });
  });

  router.get('/changes', async (req, res) => {
    const after = integer(req.query.after, 'after', 0);
    const limit = integer(req.query.limit, 'limit', 500);
    if (limit < 1 || limit > MAX_PAGE) throw new HttpRequestError('invalid-request', `limit must be from 1 to ${MAX_PAGE}`);
    const changes = await changesAfter(db, feed, mission, after, limit);
    res.json({ changes, next: changes.at(-1)?.cursor ?? after, latest: await latestCursor(db, feed, mission) });
  });

  router.get('/files/:name', async (req: Request, res: Response) => {
    const name = String(req.params.name);
    let query = db.selectFrom('files').select(['store_key', 'size', 'sha256']).where('mission', '=', mission).where('tier', '=', 'production').where('name', '=', name);
    if (feed === 'public') query = query.where('released_at', 'is not', null);
    const file = await query.executeTakeFirst();
    if (!file) throw new HttpRequestError('not-found', `no ${feed === 'public' ? 'released' : 'production'} file named '${name}'`, { fileName: name });
    const body = await ctx.store.read(file.store_key);
    res.set({ 'Content-Type': 'application/octet-stream', 'Content-Length': String(file.size), 'X-Checksum-Sha256': file.sha256 });
    body.on('error', (error) => res.destroy(error));
    body.pipe(res);
  });

  return router;
}

function feedOf(value: unknown): MirrorFeed {
  if (value === undefined || value === 'team') return 'team';
  if (value === 'public') return 'public';
  throw new HttpRequestError('invalid-request', "feed is 'team' or 'public'");
}

function integer(value: unknown, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 0) throw new HttpRequestError('invalid-request', `${name} must be a non-negative integer`);
  return n;
}
