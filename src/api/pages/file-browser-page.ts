import type { Request, Response } from 'express';
import { principalOf } from '../access/auth-middleware.js';
import type { ApiContext } from '../api-context.js';
import { searchVisibleFiles, type FileSearch } from '../query/file-query.js';
import { parseTime } from '../query/search-params.js';
import { escapeHtml, page, queryText } from './html.js';

const FIELDS = [
  ['spacecraft', 'spacecraft'],
  ['instrument', 'instrument'],
  ['mode', 'mode'],
  ['level', 'level'],
] as const;

/** Files shown on one page. */
const PAGE_SIZE = 200;

/** `GET /`: the file browser: filters, newest versions first, download buttons. */
export async function fileBrowserPage(ctx: ApiContext, req: Request, res: Response): Promise<void> {
  const mission = ctx.mission.config;
  const filters: NonNullable<FileSearch['filters']> = {};
  for (const [param, column] of FIELDS) if (queryText(req.query, param)) filters[column] = [queryText(req.query, param).toLowerCase()];
  const day = queryText(req.query, 'date');
  const from = day ? parseTime(day, 'date') : undefined;
  const to = from ? new Date(from.getTime() + 86_400_000 - 1) : undefined;
  const files = await searchVisibleFiles(ctx.db, { mission: mission.id, principal: principalOf(res), filters, time: { mode: 'overlap', from, to }, latestOnly: true, order: 'start-desc', limit: PAGE_SIZE });
  const options = (name: string, values: readonly string[]) =>
    `<label>${name} <select name="${name}"><option value="">any</option>${values.map((v) => `<option${queryText(req.query, name) === v ? ' selected' : ''}>${escapeHtml(v)}</option>`).join('')}</select></label>`;
  const rows = files
    .map((f) => {
      const name = encodeURIComponent(f.name);
      return `<tr><td>${escapeHtml(f.name)}</td><td class="wide">${escapeHtml(f.product)}</td><td>${escapeHtml(f.version_label)}</td>` +
        `<td class="wide">${f.start_time.toISOString().slice(0, 19)}</td><td class="wide">${f.size}</td>` +
        `<td><a class="button" href="/api/v1/files/${name}/content" download>download</a> <a class="wide" href="/api/v1/files/${name}">details</a></td></tr>`;
    })
    .join('\n');
  res.type('html').send(
    page(
      `${mission.name} SDC files`,
      `<h1>${escapeHtml(mission.name)} science data center</h1>
<form method="get" action="/">${options('spacecraft', mission.spacecraft)}${options('instrument', mission.instruments.map((i) => i.id))}${options('mode', mission.modes)}${options('level', mission.levels)}
<label>date <input type="date" name="date" value="${escapeHtml(day)}"></label><button type="submit">show</button></form>
<p>${files.length} files, newest first (newest version of each)${principalOf(res).kind === 'anonymous' ? '; public data only' : ''}.</p>
<table><thead><tr><th>file</th><th class="wide">product</th><th>version</th><th class="wide">start</th><th class="wide">bytes</th><th></th></tr></thead>
<tbody>${rows}</tbody></table>`,
    ),
  );
}
