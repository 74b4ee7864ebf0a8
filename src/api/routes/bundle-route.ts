import { Router } from 'express';
import { principalOf } from '../access/auth-middleware.js';
import type { ApiContext } from '../api-context.js';
import { BUNDLE_LIMITS, sendBundle, type BundleFormat } from '../download/bundle-stream.js';
import { HttpRequestError } from '../http-errors.js';
import { searchVisibleFiles } from '../query/file-query.js';

/** tar headers hold names of at most 100 bytes without extensions, whose size would not be known in advance. */
const MAX_TAR_NAME = 100;

/** `GET /api/v1/bundles?names=a,b&format=zip|tar`: many files as one archive stream. */
export function bundleRoute(ctx: ApiContext): Router {
  const router = Router();
  router.get('/', async (req, res) => {
    const q = req.query as Record<string, unknown>;
    const format = (typeof q.format === 'string' ? q.format : 'zip') as BundleFormat;
    if (format !== 'zip' && format !== 'tar') throw new HttpRequestError('invalid-request', `format must be 'zip' or 'tar', got '${String(q.format)}'`);
    const names = typeof q.names === 'string' ? [...new Set(q.names.split(',').map((s) => s.trim()).filter(Boolean))] : [];
    if (names.length === 0) throw new HttpRequestError('invalid-request', 'names must list the files to bundle (comma-separated)');
    if (names.length > BUNDLE_LIMITS.files) throw new HttpRequestError('invalid-request', `a bundle holds at most ${BUNDLE_LIMITS.files} files`);
    const files = await searchVisibleFiles(ctx.db, { mission: ctx.mission.config.id, principal: principalOf(res), filters: { name: names }, latestOnly: false, order: 'start-asc', limit: names.length });
    const missing = names.filter((n) => !files.some((f) => f.name === n));
    if (missing.length > 0) throw new HttpRequestError('not-found', `no file named ${missing.map((n) => `'${n}'`).join(', ')}`);
    const bytes = files.reduce((sum, f) => sum + Number(f.size), 0);
    if (bytes > BUNDLE_LIMITS.bytes) throw new HttpRequestError('invalid-request', `the files hold ${bytes} bytes; a bundle holds at most ${BUNDLE_LIMITS.bytes}`);
    if (format === 'tar' && files.some((f) => Buffer.byteLength(f.name) > MAX_TAR_NAME)) throw new HttpRequestError('invalid-request', `tar bundles hold names of at most ${MAX_TAR_NAME} bytes; use format=zip`);
    await sendBundle(res, ctx.store, files, format, `${ctx.mission.config.id}-files`);
  });
  return router;
}
