import { Router } from 'express';
import { archiveDb } from '../../archive/archive-tables.js';
import { acknowledge, changesAfter, fullManifest, latestCursor, mirrorLag } from '../../archive/mirror/mirror-feed.js';
import type { ApiContext } from '../api-context.js';
import { HttpRequestError } from '../http-errors.js';

const MAX_PAGE = 1000;

/**
 * The mirror feed under `/api/v1/mirror`: `GET /manifest` (every production file now),
 * `GET /changes?after=CURSOR&limit=N` (added, superseded, withdrawn in ingestion order),
 * `GET /files/:name` (a production file's bytes, with its sha256 in `X-Checksum-Sha256`),
 * `POST /mirrors/:name/ack?cursor=N` (a mirror's progress), `GET /mirrors` (lag per mirror).
 *
 * The feed is the team archive (production files, released or not; staging never): createApp
 * mounts these routes behind `requireOperator` (the operator role for `*`; 401 anonymous,
 * 403 others). A mirror site is given an operator's API token.
 */
export function mirrorRoutes(ctx: Pick<ApiContext, 'db' | 'store' | 'mission'>): Router {
  const router = Router();
  const db = archiveDb(ctx.db);
  const mission = ctx.mission.config.id;

  router.get('/manifest', async (_req, res) => {
    res.json({ cursor: await latestCursor(db, mission), files: await fullManifest(db, mission) });
  });

  router.get('/changes', async (req, res) => {
    const after = integer(req.query.after, 'after', 0);
    const limit = integer(req.query.limit, 'limit', 500);
    if (limit < 1 || limit > MAX_PAGE) throw new HttpRequestError('invalid-request', `limit must be from 1 to ${MAX_PAGE}`);
    const changes = await changesAfter(db, mission, after, limit);
    res.json({ changes, next: changes.at(-1)?.cursor ?? after, latest: await latestCursor(db, mission) });
  });

  router.get('/files/:name', async (req, res) => {
    const name = String(req.params.name);
    const file = await db.selectFrom('files').select(['store_key', 'size', 'sha256']).where('mission', '=', mission).where('tier', '=', 'production').where('name', '=', name).executeTakeFirst();
    if (!file) throw new HttpRequestError('not-found', `no production file named '${name}'`, { fileName: name });
    const body = await ctx.store.read(file.store_key);
    res.set({ 'Content-Type': 'application/octet-stream', 'Content-Length': String(file.size), 'X-Checksum-Sha256': file.sha256 });
    body.on('error', (error) => res.destroy(error));
    body.pipe(res);
  });

  router.post('/mirrors/:name/ack', async (req, res) => {
    const name = String(req.params.name);
    if (!/^[a-z0-9][a-z0-9.-]{0,62}$/.test(name)) throw new HttpRequestError('invalid-request', 'a mirror name is lowercase letters, digits, dots and dashes');
    const cursor = integer((req.body as { cursor?: unknown } | undefined)?.cursor ?? req.query.cursor, 'cursor', -1);
    if (cursor < 0) throw new HttpRequestError('invalid-request', 'cursor is required');
    await acknowledge(db, name, cursor);
    res.json({ name, cursor });
  });

  router.get('/mirrors', async (_req, res) => {
    res.json({ mirrors: await mirrorLag(db, mission) });
  });

  return router;
}

function integer(value: unknown, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 0) throw new HttpRequestError('invalid-request', `${name} must be a non-negative integer`);
  return n;
}

