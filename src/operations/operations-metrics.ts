import { sql, type Kysely } from 'kysely';
import { Gauge, type Metric, type Registry } from 'prom-client';
import type { EventBus } from '../bus/event-bus.js';
import type { CatalogSchema } from '../catalog/catalog-schema.js';
import { backupLags } from './backup-lag.js';
import { queueDepths, watchedQueues } from './site-queues.js';

/** Upper bounds (seconds) of the job duration buckets: a second to half a day. */
export const JOB_DURATION_BUCKETS = [1, 5, 15, 60, 300, 900, 3_600, 14_400, 43_200];

export interface OperationsMetricsSource {
  db: Kysely<CatalogSchema>;
  bus: EventBus;
  mission: string;
  /** The mission's instrument ids (one job queue per tier and instrument). */
  instruments: readonly string[];
  /** Names of the archive's backup targets. */
  backupTargets: readonly string[];
}

/**
 * The site's figures for Prometheus, read at each scrape from the catalog and the bus, so any
 * API process reports the whole site (workers on other hosts included): files ingested, jobs by
 * state and instrument, job durations, queue depths and backup lag. HTTP figures are per process
 * (src/api/http-metrics.ts).
 */
export function registerOperationsMetrics(registry: Registry, source: OperationsMetricsSource): void {
  const { db, bus, mission } = source;
  new Gauge({
    name: 'sdc_files_ingested',
    help: 'Files in the catalog by how they came (drop, upload, job), tier and level',
    labelNames: ['source', 'tier', 'level'],
    registers: [registry],
    async collect() {
      const rows = await db.selectFrom('files').select(['source', 'tier', 'level', sql<string>`count(*)`.as('n')]).where('mission', '=', mission).groupBy(['source', 'tier', 'level']).execute();
      this.reset();
      for (const r of rows) this.set({ source: r.source, tier: r.tier, level: r.level ?? '' }, Number(r.n));
    },
  });
  new Gauge({
    name: 'sdc_jobs',
    help: "Jobs by state, instrument (of the processor's manifest) and tier",
    labelNames: ['state', 'instrument', 'tier'],
    registers: [registry],
    async collect() {
      const rows = await sql<{ state: string; instrument: string; tier: string; n: string }>`
        select j.state, coalesce(d.manifest->>'instrument', '') as instrument, j.tier, count(*) as n
        from jobs j left join processor_deployments d on d.id = j.deployment_id
        where j.mission = ${mission} group by 1, 2, 3`.execute(db);
      this.reset();
      for (const r of rows.rows) this.set({ state: r.state, instrument: r.instrument, tier: r.tier }, Number(r.n));
    },
  });
  new Gauge({
    name: 'sdc_queue_depth',
    help: 'Messages ready in a queue of the bus (arrivals to trigger, jobs per tier and instrument)',
    labelNames: ['queue'],
    registers: [registry],
    async collect() {
      const depths = await queueDepths(bus, watchedQueues(mission, source.instruments));
      this.reset();
      for (const [queue, depth] of depths) this.set({ queue }, depth);
    },
  });
  new Gauge({
    name: 'sdc_backup_lag_seconds',
    help: 'Age of the oldest production file a backup target holds no verified copy of (0: up to date)',
    labelNames: ['target'],
    registers: [registry],
    async collect() {
      const lags = await backupLags(db, source.backupTargets, new Date());
      this.reset();
      for (const lag of lags) this.set({ target: lag.target }, lag.lagSeconds);
    },
  });
  new Gauge({
    name: 'sdc_backup_files_behind',
    help: 'Production files a backup target holds no verified copy of',
    labelNames: ['target'],
    registers: [registry],
    async collect() {
      const lags = await backupLags(db, source.backupTargets, new Date());
      this.reset();
      for (const lag of lags) this.set({ target: lag.target }, lag.filesBehind);
    },
  });
  // prom-client's Histogram only counts observations of this process; this one is computed from
  // the catalog's job times, so it is registered as a metric object of its own.
  registry.registerMetric(new JobDurationHistogram(db, mission) as unknown as Metric);
}

interface HistogramValue {
  metricName: string;
  labels: Record<string, string | number>;
  value: number;
}

/** `sdc_job_duration_seconds`: how long finished jobs ran (start to end of their last attempt), by processor, tier and outcome. */
class JobDurationHistogram {
  readonly name = 'sdc_job_duration_seconds';
  readonly help = 'Duration of finished jobs (their last attempt), by processor, tier and outcome';
  readonly type = 'histogram';
  readonly aggregator = 'sum';

  constructor(
    private readonly db: Kysely<CatalogSchema>,
    private readonly mission: string,
  ) {}

  async get(): Promise<{ name: string; help: string; type: string; aggregator: string; values: HistogramValue[] }> {
    const buckets = sql.join(JOB_DURATION_BUCKETS.map((le, i) => sql`count(*) filter (where d <= ${le}) as ${sql.ref(`b${i}`)}`));
    const rows = await sql<Record<string, string | number>>`
      select processor, tier, state, ${buckets}, count(*) as n, coalesce(sum(d), 0) as total
      from (select processor, tier, state, extract(epoch from finished_at - started_at)::float8 as d
            from jobs where mission = ${this.mission} and state in ('succeeded', 'dead') and started_at is not null and finished_at is not null) j
      group by processor, tier, state order by processor, tier, state`.execute(this.db);
    const values: HistogramValue[] = [];
    for (const row of rows.rows) {
      const labels = { processor: String(row.processor), tier: String(row.tier), outcome: String(row.state) };
      JOB_DURATION_BUCKETS.forEach((le, i) => values.push({ metricName: `${this.name}_bucket`, labels: { ...labels, le }, value: Number(row[`b${i}`]) }));
      values.push({ metricName: `${this.name}_bucket`, labels: { ...labels, le: '+Inf' }, value: Number(row.n) });
      values.push({ metricName: `${this.name}_sum`, labels, value: Number(row.total) });
      values.push({ metricName: `${this.name}_count`, labels, value: Number(row.n) });
    }
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values };
  }
}
