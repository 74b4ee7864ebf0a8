import express, { Router, type Request, type Response } from 'express';
import type { FileRow } from '../../catalog/catalog-schema.js';
import type { CompatApiConfig, CompatDataTypeConfig } from '../../mission/mission-schema.js';
import { principalOf } from '../access/auth-middleware.js';
import type { ApiContext } from '../api-context.js';
import { BUNDLE_LIMITS, sendBundle } from '../download/bundle-stream.js';
import { sendStoredFile } from '../download/send-stored-file.js';
import { HttpRequestError } from '../http-errors.js';
import { compareVersions } from '../query/compare-versions.js';
import { searchVisibleFiles, type FileSearch } from '../query/file-query.js';
import { pythonStyleJson } from './compat-json.js';
import { hasKnownParams, parseCompatQuery, type CompatQuery } from './compat-params.js';
import { coverageRecord, timetagRecord } from './compat-records.js';

/** Most files one legacy listing returns; a broader query is refused with a 400. */
export const MAX_COMPAT_FILES = 100_000;

type Service = (req: Request, res: Response, files: FileRow[], dataType: CompatDataTypeConfig) => Promise<void> | void;

/**
 * The legacy file services (`<prefix>/<service>/<dataType>`, GET or POST): `file_info`,
 * `file_names`, `download`, `version_info` and `day_info`, answering exactly as the mission's
 * existing clients parse. Mounted under the public and the team prefix; what a request sees is
 * decided by the principal the prefix's middleware attached.
 */
export function compatRoutes(ctx: ApiContext, compat: CompatApiConfig): Router {
  const router = Router();
  router.use(express.urlencoded({ extended: false, limit: '1mb', parameterLimit: 1000 }));
  const services: Record<string, Service> = {
    file_info: (_req, res, files, dt) => {
      const records = files.map((f) => (dt.records === 'coverage' ? coverageRecord(f, ctx.mission.config) : timetagRecord(f)));
      res.type('application/json').send(pythonStyleJson({ files: records }));
    },
    file_names: (_req, res, files) => {
      res.type('text/plain').send(files.map((f) => compat.pathPrefix + f.store_key).join(','));
    },
    version_info: (_req, res, files) => {
      const latest = new Map<string, FileRow>();
      for (const f of files) if (!latest.has(f.product) || compareVersions(f.version, latest.get(f.product)!.version) > 0) latest.set(f.product, f);
      res.type('application/json').send(pythonStyleJson({ versions: [...latest.values()].sort((a, b) => a.product.localeCompare(b.product)).map((f) => ({ product: f.product, version: f.version_label })) }));
    },
    day_info: (_req, res, files) => {
      res.type('application/json').send(pythonStyleJson(files.map((f) => coverageRecord(f, ctx.mission.config))));
    },
    download: async (req, res, files) => {
      if (files.length === 0) throw new HttpRequestError('not-found', 'no file matches this request');
      const visibility = principalOf(res).kind === 'anonymous' ? 'public' : 'private';
      if (files.length === 1) return sendStoredFile(req, res, ctx.store, files[0]!, visibility);
      checkBundle(files);
      return sendBundle(res, ctx.store, files, 'zip', `${ctx.mission.config.id}-files`);
    },
  };
  const handle = async (req: Request, res: Response) => {
    const service = services[req.params.service as string];
    const dataType = Object.hasOwn(compat.dataTypes, req.params.dataType as string) ? compat.dataTypes[req.params.dataType as string] : undefined;
    if (!service || !dataType) throw new HttpRequestError('not-found', `no file service '${req.params.service}/${req.params.dataType}' (services: ${Object.keys(services).join(', ')}; data types: ${Object.keys(compat.dataTypes).join(', ')})`);
    if (req.params.service === 'download' && !hasKnownParams(req)) throw new HttpRequestError('invalid-request', 'download needs file=<name> or a query (sc_id, instrument_id, start_date...)');
    const query = parseCompatQuery(req, dataType.dataTypeParam);
    const files = await searchVisibleFiles(ctx.db, toSearch(ctx.mission.config.id, res, query, dataType, compat));
    if (files.length > MAX_COMPAT_FILES) throw new HttpRequestError('invalid-request', `more than ${MAX_COMPAT_FILES} files match; narrow the query (dates, spacecraft, instrument)`);
    await service(req, res, files, dataType);
  };
  router.get('/:service/:dataType', handle);
  router.post('/:service/:dataType', handle);
  return router;
}

function toSearch(mission: string, res: Response, query: CompatQuery, dataType: CompatDataTypeConfig, compat: CompatApiConfig): FileSearch {
  const spacecraft = query.spacecraft?.map((sc) => (sc === compat.constellation ? null : sc));
  const filters: FileSearch['filters'] = { kind: dataType.kinds };
  if (spacecraft) filters.spacecraft = spacecraft;
  if (query.instrument) filters.instrument = query.instrument;
  if (query.mode) filters.mode = query.mode;
  if (query.level) filters.level = query.level;
  if (query.descriptor) filters.descriptor = query.descriptor;
  if (query.dataType) filters.data_type = query.dataType;
  if (query.versions) filters.version_label = query.versions;
  if (query.files) filters.name = query.files;
  return {
    mission,
    principal: principalOf(res),
    filters,
    time: { mode: dataType.records === 'coverage' ? 'overlap' : 'start', from: query.from, to: query.to },
    // A named file or version is answered as asked; otherwise the newest version of each file.
    latestOnly: !query.files && !query.versions,
    order: 'start-desc',
    limit: MAX_COMPAT_FILES + 1,
  };
}

function checkBundle(files: readonly FileRow[]): void {
  const bytes = files.reduce((sum, f) => sum + Number(f.size), 0);
  if (files.length > BUNDLE_LIMITS.files || bytes > BUNDLE_LIMITS.bytes) {
    throw new HttpRequestError('invalid-request', `${files.length} files (${bytes} bytes) match; one download holds at most ${BUNDLE_LIMITS.files} files and ${BUNDLE_LIMITS.bytes} bytes`);
  }
}
