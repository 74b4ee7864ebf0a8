import type { Request, Response } from 'express';
import { principalOf } from '../access/auth-middleware.js';
import { isTeam } from '../access/principal.js';
import type { ApiContext } from '../api-context.js';
import { listJobs } from '../routes/jobs-routes.js';
import { escapeHtml, page } from './html.js';

/** Jobs shown on the dashboard. */
const MAX_JOBS = 300;

/** `GET /jobs`: the job dashboard for teams, failures first, with errors and links to logs. */
export async function jobsPage(ctx: ApiContext, _req: Request, res: Response): Promise<void> {
  if (!isTeam(principalOf(res))) {
    res.status(401).set('WWW-Authenticate', `Basic realm="${ctx.mission.config.api.compat?.realm ?? 'SDC team'}"`).type('html').send(page('Jobs', '<h1>Jobs</h1><p>The job dashboard is for team members: log in.</p>'));
    return;
  }
  const jobs = await listJobs(ctx, MAX_JOBS);
  const rows = jobs
    .map((j) => {
      const bad = j.state === 'dead' || j.state === 'failed' || j.state === 'retrying';
      return `<tr><td><a href="/api/v1/jobs/${j.id}">${j.id}</a></td><td class="${bad ? 'bad' : ''}">${escapeHtml(j.state)}</td><td>${escapeHtml(j.processor)} ${escapeHtml(j.processor_version)}</td>` +
        `<td class="wide">${escapeHtml(j.group_key)}</td><td class="wide">${new Date(j.window_start).toISOString().slice(0, 10)}</td><td class="wide">${j.attempts}</td><td>${escapeHtml(j.error ?? '')}</td></tr>`;
    })
    .join('\n');
  res.type('html').send(
    page(
      `${ctx.mission.config.name} jobs`,
      `<h1>Jobs</h1><p>${jobs.length} jobs, failures first.</p>
<table><thead><tr><th>id</th><th>state</th><th>processor</th><th class="wide">group</th><th class="wide">day</th><th class="wide">attempts</th><th>error</th></tr></thead>
<tbody>${rows}</tbody></table>`,
    ),
  );
}
