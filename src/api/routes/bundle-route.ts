import { Router, type Request, type Response } from 'express';
import type { FileRow } from '../../catalog/catalog-schema.js';
import { principalOf } from '../access/auth-middleware.js';
import type { ApiContext } from '../api-context.js';
import { BUNDLE_LIMITS, sendBundle, type BundleFormat } from '../download/bundle-stream.js';
import { HttpRequestError } from '../http-errors.js';
import { searchVisibleFiles, type FileSearch } from '../query/file-query.js';
import { parseTime } from '../query/search-params.js';
import { ReleaseSnapshots } from '../release/release-snapshots.js';

/** tar headers hold names of at most 100 bytes without extensions, whose size would not be known in advance. */
const MAX_TAR_NAME = 100;

/**
 * `GET /api/v1/bundles?names=a,b&format=zip|tar`: many files as one archive stream. With
 * `release=<name>` (and optionally `product`, `from`, `to`, `names`), the versions that named
 * release pins: a download "as of release X", never a mix of versions.
 */
export function bundleRoute(ctx: ApiContext): Router {
  const router = Router();
  router.get('/', async (req, res) => {
    const q = req.query as Record<string, unknown>;
    const format = (typeof q.format === 'string' ? q.format : 'zip') as BundleFormat;
    if (format !== 'zip' && format !== 'tar') throw new HttpRequestError('invalid-request', `format must be 'zip' or 'tar', got '${String(q.format)}'`);
    const names = typeof q.names === 'string' ? [...new Set(q.names.split(',').map((s) => s.trim()).filter(Boolean))] : [];
    const release = typeof q.release === 'string' && q.release !== '' ? q.release : undefined;
    const files = release ? await releaseFiles(ctx, req, res, release, names) : await namedFiles(ctx, res, names);
    const bytes = files.reduce((sum, f) => sum + Number(f.size), 0);
    if (bytes > BUNDLE_LIMITS.bytes) throw new HttpRequestError('invalid-request', `the files hold ${bytes} bytes; a bundle holds at most ${BUNDLE_LIMITS.bytes}`);
    if (format === 'tar' && files.some((f) => Buffer.byteLength(f.name) > MAX_TAR_NAME)) throw new HttpRequestError('invalid-request', `tar bundles hold names of at most ${MAX_TAR_NAME} bytes; use format=zip`);
    await sendBundle(res, ctx.store, files, format, release ?? `${ctx.mission.config.id}-files`);
  });
  return router;
}

async function namedFiles(ctx: ApiContext, res: Response, names: string[]): Promise<FileRow[]> {
  if (names.length === 0) throw new HttpRequestError('invalid-request', 'names must list the files to bundle (comma-separated), or release name a release');
  if (names.length > BUNDLE_LIMITS.files) throw new HttpRequestError('invalid-request', `a bundle holds at most ${BUNDLE_LIMITS.files} files`);
  const files = await searchVisibleFiles(ctx.db, { mission: ctx.mission.config.id, principal: principalOf(res), filters: { name: names }, latestOnly: false, order: 'start-asc', limit: names.length });
  const missing = names.filter((n) => !files.some((f) => f.name === n));
  if (missing.length > 0) throw new HttpRequestError('not-found', `no file named ${missing.map((n) => `'${n}'`).join(', ')}`);
  return files;
}

/** The files a release pins, narrowed by product, time span and names; none is a 404. */
async function releaseFiles(ctx: ApiContext, req: Request, res: Response, release: string, names: string[]): Promise<FileRow[]> {
  await new ReleaseSnapshots(ctx.db, ctx.mission.config.id).get(release);
  const q = req.query as Record<string, unknown>;
  const product = typeof q.product === 'string' ? q.product.split(',').map((s) => s.trim()).filter(Boolean) : [];
  const filters: FileSearch['filters'] = {};
  if (product.length > 0) filters.product = product;
  if (names.length > 0) filters.name = names;
  const time = { mode: 'overlap' as const, from: parseTime(typeof q.from === 'string' ? q.from : undefined, 'from'), to: parseTime(typeof q.to === 'string' ? q.to : undefined, 'to') };
  const files = await searchVisibleFiles(ctx.db, { mission: ctx.mission.config.id, principal: principalOf(res), filters, time, release, latestOnly: false, order: 'start-asc', limit: BUNDLE_LIMITS.files + 1 });
  if (files.length === 0) throw new HttpRequestError('not-found', `release '${release}' holds no file matching this request`);
  if (files.length > BUNDLE_LIMITS.files) throw new HttpRequestError('invalid-request', `more than ${BUNDLE_LIMITS.files} files of release '${release}' match; narrow with product, from and to`);
  return files;
}
