import { Router, type Request, type Response } from 'express';
import type { FileRow } from '../../catalog/catalog-schema.js';
import type { StaticIndexConfig } from '../../mission/mission-schema.js';
import { principalOf } from '../access/auth-middleware.js';
import type { ApiContext } from '../api-context.js';
import { sendStoredFile } from '../download/send-stored-file.js';
import { HttpRequestError } from '../http-errors.js';
import { compareVersions } from '../query/compare-versions.js';
import { FIELD_COLUMNS, searchVisibleFiles, type FileSearch } from '../query/file-query.js';
import { escapeHtml } from '../pages/html.js';
import { SdcError } from '../../errors/sdc-error.js';

/** Most files one index lists (models and tables: a handful in practice). */
const MAX_INDEX_FILES = 10_000;

/**
 * A static tree of the legacy site as clients read it (e.g. an instrument's models folder):
 * `GET <path>/` is an Apache-style HTML index whose `<a href="name">` links name the newest
 * visible version of each file matching the index, and `GET <path>/<name>` downloads any visible
 * version of those files. One version per file, because pymms insists on exactly one link per
 * model and pySPEDAS takes the last link matching its glob. Mounted behind the public prefix's
 * middleware, so only released files appear.
 */
export function staticIndexRoutes(ctx: ApiContext, index: StaticIndexConfig): Router {
  const router = Router({ strict: true });
  const search = (res: Response, names?: string[]): FileSearch => ({
    mission: ctx.mission.config.id,
    principal: principalOf(res),
    filters: { ...indexFilters(index), ...(names ? { name: names } : {}) },
    latestOnly: !names,
    order: 'start-asc',
    limit: MAX_INDEX_FILES,
  });

  router.get('/', async (req, res) => {
    // As Apache does: the links are relative, so the index's own URL must end with a slash.
    const [path = '', query] = req.originalUrl.split('?');
    if (!path.endsWith('/')) return res.redirect(301, `${path}/${query === undefined ? '' : `?${query}`}`);
    const files = await searchVisibleFiles(ctx.db, search(res));
    res.type('text/html').send(indexPage(index.path, sortForListing(files)));
  });

  router.get('/:name', async (req: Request, res: Response) => {
    const name = req.params.name as string;
    const [file] = await searchVisibleFiles(ctx.db, search(res, [name]));
    if (!file) throw new HttpRequestError('not-found', `no file named '${name}' in ${index.path}/`, { fileName: name });
    await sendStoredFile(req, res, ctx.store, file, 'public');
  });

  return router;
}

/** The index's field match as catalog filters (`kind`, `instrument`, ... with one value or a list). */
function indexFilters(index: StaticIndexConfig): FileSearch['filters'] {
  const filters: NonNullable<FileSearch['filters']> = {};
  for (const [field, value] of Object.entries(index.match)) {
    if (!Object.hasOwn(FIELD_COLUMNS, field)) throw new SdcError('invalid-mission', `api.compat.indexes ${index.path}: cannot match on '${field}' (fields: ${Object.keys(FIELD_COLUMNS).join(', ')})`, { field });
    const column = FIELD_COLUMNS[field as keyof typeof FIELD_COLUMNS];
    filters[column] = Array.isArray(value) ? value : [value];
  }
  return filters;
}

/** By product, then by version, oldest first: the listing order Apache would give for these names. */
function sortForListing(files: FileRow[]): FileRow[] {
  return [...files].sort((a, b) => a.stem.localeCompare(b.stem) || compareVersions(a.version, b.version));
}

function indexPage(path: string, files: readonly FileRow[]): string {
  const title = `Index of ${escapeHtml(path)}`;
  const rows = files.map((f) => {
    const name = escapeHtml(f.name);
    const modified = new Date(f.ingested_at).toISOString().slice(0, 16).replace('T', ' ');
    return `<a href="${encodeURIComponent(f.name)}">${name}</a> ${' '.repeat(Math.max(1, 60 - f.name.length))}${modified}  ${f.size}`;
  });
  const parent = `<a href="${escapeHtml(path.replace(/\/[^/]*$/, '/'))}">Parent Directory</a>`;
  return `<!DOCTYPE html>\n<html>\n<head><title>${title}</title></head>\n<body>\n<h1>${title}</h1>\n<pre>Name${' '.repeat(57)}Last modified     Size\n<hr>${parent}\n${rows.join('\n')}\n<hr></pre>\n</body>\n</html>\n`;
}
