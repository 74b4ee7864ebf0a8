import { Router, type Response } from 'express';
import type { FileRow } from '../../catalog/catalog-schema.js';
import { principalOf } from '../access/auth-middleware.js';
import type { ApiContext } from '../api-context.js';
import { sendStoredFile } from '../download/send-stored-file.js';
import { fileJson } from '../file-json.js';
import { HttpRequestError } from '../http-errors.js';
import { compareVersions } from '../query/compare-versions.js';
import { searchVisibleFiles } from '../query/file-query.js';
import { encodeCursor, parseSearchParams } from '../query/search-params.js';

/** Most versions listed in a file's detail. */
const MAX_VERSIONS = 1000;

/**
 * `GET /api/v1/files` (search, cursor pagination), `GET /api/v1/files/:name` (detail with
 * versions and provenance), `GET|HEAD /api/v1/files/:name/content` (download). A file the
 * principal may not see answers 404, exactly as one that does not exist.
 */
export function filesRoutes(ctx: ApiContext): Router {
  const router = Router();
  const mission = ctx.mission.config.id;

  router.get('/', async (req, res) => {
    const params = parseSearchParams(req);
    const rows = await searchVisibleFiles(ctx.db, { ...params, mission, principal: principalOf(res), limit: params.limit + 1 });
    const page = rows.slice(0, params.limit);
    const last = page[page.length - 1];
    res.json({ files: page.map(fileJson), nextCursor: rows.length > params.limit && last ? encodeCursor(last.start_time, last.id) : null });
  });

  router.get('/:name', async (req, res) => {
    const file = await visibleFile(ctx, res, req.params.name as string);
    const versions = await searchVisibleFiles(ctx.db, { mission, principal: principalOf(res), filters: { stem: [file.stem] }, latestOnly: false, order: 'start-asc', limit: MAX_VERSIONS });
    versions.sort((a, b) => compareVersions(b.version, a.version));
    res.json({ ...fileJson(file), versions: versions.map((v) => ({ name: v.name, version: v.version_label, ingestedAt: new Date(v.ingested_at).toISOString(), latest: v === versions[0] })), provenance: await provenance(ctx, file) });
  });

  router.get('/:name/content', async (req, res) => {
    const file = await visibleFile(ctx, res, req.params.name as string);
    await sendStoredFile(req, res, ctx.store, file, principalOf(res).kind === 'anonymous' ? 'public' : 'private');
  });

  return router;
}

/** The file of that name if the principal may see it; otherwise a 404 that tells nothing more. */
export async function visibleFile(ctx: ApiContext, res: Response, name: string): Promise<FileRow> {
  const [file] = await searchVisibleFiles(ctx.db, { mission: ctx.mission.config.id, principal: principalOf(res), filters: { name: [name] }, latestOnly: false, order: 'start-asc', limit: 1 });
  if (!file) throw new HttpRequestError('not-found', `no file named '${name}'`, { fileName: name });
  return file;
}

/** A summary of where the file came from, with links to its full W3C PROV document and its verification. */
async function provenance(ctx: ApiContext, file: FileRow) {
  const links = { provenanceUrl: `/api/v1/files/${encodeURIComponent(file.name)}/provenance`, descendantsUrl: `/api/v1/files/${encodeURIComponent(file.name)}/provenance?direction=descendants`, verifyUrl: `/api/v1/verify?sha256=${file.sha256}` };
  if (file.job_id === null) return { source: file.source, ...links };
  const job = await ctx.db.selectFrom('jobs').select(['id', 'processor', 'processor_version', 'inputs', 'finished_at']).where('id', '=', file.job_id).executeTakeFirst();
  if (!job) return { source: file.source, jobId: file.job_id, ...links };
  const activity = await ctx.db.selectFrom('provenance_activities').selectAll().where('job_id', '=', job.id).executeTakeFirst();
  const recorded = activity && { bundleSha256: activity.bundle_sha256, image: activity.image, runtime: activity.runtime, host: activity.host, startedAt: activity.started_at?.toISOString() ?? null, deployedBy: activity.deployed_by, triggeredBy: activity.triggered_by, instrument: activity.instrument };
  return { source: file.source, jobId: job.id, processor: job.processor, processorVersion: job.processor_version, finishedAt: job.finished_at?.toISOString() ?? null, inputs: job.inputs, ...recorded, jobUrl: `/api/v1/jobs/${job.id}`, ...links };
}
