import { statfs } from 'node:fs/promises';
import path from 'node:path';
import { sql, type Kysely } from 'kysely';
import type { EventBus } from '../bus/event-bus.js';
import type { CatalogSchema } from '../catalog/catalog-schema.js';
import { backupLags } from './backup-lag.js';
import type { OperatorAlert } from './operator-alert.js';
import { queueDepths } from './site-queues.js';

/** Dead jobs are reported while they are this recent (a dead job stays dead until rerun). */
const DEAD_JOB_WINDOW_MS = 24 * 3_600_000;

/** Jobs that died in the last day, one alert per processor version and tier. */
export async function deadJobAlerts(db: Kysely<CatalogSchema>, mission: string, now: Date): Promise<OperatorAlert[]> {
  const rows = await db
    .selectFrom('jobs')
    .select(['processor', 'processor_version', 'tier', sql<string>`count(*)`.as('jobs'), sql<string>`string_agg(id::text || ': ' || coalesce(error, ''), E'\n' order by id)`.as('list')])
    .where('mission', '=', mission)
    .where('state', '=', 'dead')
    .where('finished_at', '>=', new Date(now.getTime() - DEAD_JOB_WINDOW_MS))
    .groupBy(['processor', 'processor_version', 'tier'])
    .orderBy('processor')
    .execute();
  return rows.map((r) => ({
    key: `dead-jobs:${r.tier}:${r.processor}@${r.processor_version}`,
    kind: 'dead-jobs' as const,
    subject: `${r.jobs} dead job(s) of ${r.processor}@${r.processor_version} (${r.tier}) in the last 24 h`,
    detail: `jobs (id: reason):\n${r.list.split('\n').slice(0, 20).join('\n')}`,
  }));
}

/** Job queues holding more ready messages than `limit`: the workers cannot keep up, or none runs. */
export async function queueBacklogAlerts(bus: EventBus, queues: readonly string[], limit: number): Promise<OperatorAlert[]> {
  const depths = await queueDepths(bus, queues);
  return [...depths].filter(([, depth]) => depth > limit).map(([queue, depth]) => ({
    key: `queue-backlog:${queue}`,
    kind: 'queue-backlog' as const,
    subject: `queue ${queue} is backing up: ${depth} messages waiting (limit ${limit})`,
    detail: `${depth} ready messages on ${bus.description}; check that workers of this queue run (sdc worker) and are not all failing`,
  }));
}

/** Backup targets whose oldest uncopied file is older than `hours`. */
export async function backupLagAlerts(db: Kysely<CatalogSchema>, targets: readonly string[], hours: number, now: Date): Promise<OperatorAlert[]> {
  const lags = await backupLags(db, targets, now);
  return lags.filter((lag) => lag.lagSeconds > hours * 3600).map((lag) => ({
    key: `backup-lag:${lag.target}`,
    kind: 'backup-lag' as const,
    subject: `backup target ${lag.target} lags ${(lag.lagSeconds / 3600).toFixed(1)} h behind (limit ${hours} h)`,
    detail: `${lag.filesBehind} production file(s) have no verified copy in ${lag.target}; see the last backup runs (sdc backup) and the scheduler's log`,
  }));
}

/** Locations whose latest audit found problems it could not repair, or that failed. */
export async function integrityAlerts(db: Kysely<CatalogSchema>): Promise<OperatorAlert[]> {
  const runs = await sql<{ id: string; location: string; state: string; problems: number; repaired: number; note: string | null; finished_at: Date | null }>`
    select distinct on (location) id, location, state, problems, repaired, note, finished_at
    from audit_runs where state <> 'running' order by location, id desc`.execute(db);
  const alerts: OperatorAlert[] = [];
  for (const run of runs.rows) {
    const unrepaired = run.problems - run.repaired;
    if (run.state === 'done' && unrepaired <= 0) continue;
    const findings = await sql<{ kind: string; n: string }>`
      select kind, count(*) as n from audit_findings where run_id = ${run.id} and not repaired group by kind order by kind`.execute(db);
    const kinds = findings.rows.map((f) => `${f.n} ${f.kind}`).join(', ');
    alerts.push({
      key: `integrity:${run.location}`,
      kind: 'integrity',
      subject: run.state === 'done' ? `integrity audit of ${run.location}: ${unrepaired} unrepaired problem(s)` : `integrity audit of ${run.location} ${run.state}`,
      detail: `audit run ${run.id}${run.finished_at ? ` finished ${new Date(run.finished_at).toISOString()}` : ''}${kinds ? `: ${kinds}` : ''}${run.note ? `\nnote: ${run.note}` : ''}\nsee sdc audit --help`,
    });
  }
  return alerts;
}

/** Free space of a folder's file system, in percent; the nearest existing parent is measured. */
export async function freePercent(folder: string): Promise<{ path: string; freePercent: number; freeBytes: number } | undefined> {
  for (let current = path.resolve(folder); ; current = path.dirname(current)) {
    try {
      const stats = await statfs(current);
      const total = stats.blocks * stats.bsize;
      return { path: current, freeBytes: stats.bavail * stats.bsize, freePercent: total > 0 ? (stats.bavail / stats.blocks) * 100 : 100 };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || current === path.dirname(current)) return undefined;
    }
  }
}

/** Folders whose file system has less than `percent` free space. */
export async function diskAlerts(folders: readonly string[], percent: number): Promise<OperatorAlert[]> {
  const alerts = new Map<string, OperatorAlert>();
  for (const folder of folders) {
    const free = await freePercent(folder);
    if (!free || free.freePercent >= percent || alerts.has(free.path)) continue;
    alerts.set(free.path, {
      key: `disk:${free.path}`,
      kind: 'disk',
      subject: `disk filling at ${free.path}: ${free.freePercent.toFixed(1)}% free (limit ${percent}%)`,
      detail: `${(free.freeBytes / 1e9).toFixed(2)} GB free for ${folder}`,
    });
  }
  return [...alerts.values()];
}
