/**
 * /metrics scraped as Prometheus would: files ingested, jobs by state and instrument, job
 * durations, queue depths and backup lag match the catalog; API requests are counted. /healthz
 * says which part is down.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitUntilQuiet } from '../../src/app/wait-until-quiet.js';
import { backends } from '../support/backends.js';
import { startTestSdc, type TestSdc } from '../support/test-sdc.js';

const TINY = path.resolve('test/fixtures/missions/tiny');

/** Parses Prometheus text into `name{labels}` → value. */
function parseMetrics(text: string): Map<string, number> {
  const values = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line.startsWith('#') || line.trim() === '') continue;
    const at = line.lastIndexOf(' ');
    values.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return values;
}

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`/metrics and /healthz on ${backend.name}`, () => {
    let t: TestSdc;
    let baseUrl: string;
    const scrape = async () => {
      const response = await fetch(`${baseUrl}/metrics`);
      expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
      return parseMetrics(await response.text());
    };

    beforeAll(async () => {
      t = await startTestSdc(backend, { mission: TINY });
      await t.sdc.startProcessing();
      baseUrl = await t.sdc.startApi();
      const drop = path.join(t.dataDir, 'arrivals');
      await mkdir(drop, { recursive: true });
      for (const name of ['TINY-T1-MAG-RAW-2020-02-28-R1.txt', 'TINY-T1-MAG-RAW-2020-02-29-R1.txt', 'TINY-T2-MAG-RAW-2020-02-29-R1.txt']) {
        await writeFile(path.join(drop, name), '1\n2\n');
        await t.sdc.ingest.ingest({ path: path.join(drop, name), name, source: 'drop' });
      }
      await waitUntilQuiet(t.sdc, { timeoutMs: 60_000 });
    }, 180_000);
    afterAll(async () => t?.close());

    it('when scraped, then files ingested, jobs by state and instrument and job durations match the catalog', async () => {
      const db = t.sdc.catalog.db;
      const metrics = await scrape();
      const files = await db.selectFrom('files').select(['source', 'level', sql<string>`count(*)`.as('n')]).groupBy(['source', 'level']).execute();
      expect(files.length).toBe(2);
      for (const f of files) expect(metrics.get(`sdc_files_ingested{source="${f.source}",tier="production",level="${f.level}"}`)).toBe(Number(f.n));
      const jobs = await db.selectFrom('jobs').select(['state', 'started_at', 'finished_at']).execute();
      expect(jobs.length).toBe(3);
      expect(metrics.get('sdc_jobs{state="succeeded",instrument="mag",tier="production"}')).toBe(3);
      const labels = 'processor="mag-cal",tier="production",outcome="succeeded"';
      expect(metrics.get(`sdc_job_duration_seconds_count{${labels}}`)).toBe(3);
      expect(metrics.get(`sdc_job_duration_seconds_bucket{${labels},le="+Inf"}`)).toBe(3);
      const seconds = jobs.reduce((sum, j) => sum + ((j.finished_at?.getTime() ?? 0) - (j.started_at?.getTime() ?? 0)) / 1000, 0);
      expect(metrics.get(`sdc_job_duration_seconds_sum{${labels}}`)).toBeCloseTo(seconds, 2);
      const under60 = jobs.filter((j) => ((j.finished_at?.getTime() ?? 0) - (j.started_at?.getTime() ?? 0)) / 1000 <= 60).length;
      expect(metrics.get(`sdc_job_duration_seconds_bucket{${labels},le="60"}`)).toBe(under60);
    });

    it('when scraped, then queue depths come from the bus and backup lag falls to 0 once a backup ran', async () => {
      let metrics = await scrape();
      expect(metrics.get('sdc_queue_depth{queue="sdc.tiny.jobs.production.mag"}')).toBe(0);
      expect(metrics.get('sdc_queue_depth{queue="sdc.tiny.triggers"}')).toBe(0);
      const production = await t.sdc.catalog.db.selectFrom('files').select(sql<string>`count(*)`.as('n')).where('tier', '=', 'production').executeTakeFirstOrThrow();
      expect(metrics.get('sdc_backup_files_behind{target="local"}')).toBe(Number(production.n));
      expect(metrics.get('sdc_backup_lag_seconds{target="local"}')).toBeGreaterThan(0);
      const archive = await t.sdc.openArchive();
      await archive.backup('local');
      metrics = await scrape();
      expect(metrics.get('sdc_backup_files_behind{target="local"}')).toBe(0);
      expect(metrics.get('sdc_backup_lag_seconds{target="local"}')).toBe(0);
    });

    it('when the API served requests, then they are counted by route and status with their latencies', async () => {
      await fetch(`${baseUrl}/healthz`);
      await fetch(`${baseUrl}/healthz`);
      const metrics = await scrape();
      expect(metrics.get('sdc_http_requests_total{method="GET",route="/healthz",status="200"}')).toBeGreaterThanOrEqual(2);
      expect(metrics.get('sdc_http_request_duration_seconds_count{method="GET",route="/healthz"}')).toBeGreaterThanOrEqual(2);
    });

    it('when every part is reachable, then /healthz answers 200 with each part ok', async () => {
      const response = await fetch(`${baseUrl}/healthz`);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ status: 'ok', catalog: 'ok', bus: 'ok', store: 'ok' });
    });
  });
}

describe('/healthz with a part down', () => {
  it('when the bus is unreachable, then /healthz answers 503 and names the bus', async () => {
    const t = await startTestSdc(backends()[0]!, { mission: TINY });
    try {
      const baseUrl = await t.sdc.startApi();
      await t.sdc.bus.close();
      const response = await fetch(`${baseUrl}/healthz`);
      expect(response.status).toBe(503);
      const body = (await response.json()) as Record<string, string>;
      expect(body).toMatchObject({ status: 'degraded', catalog: 'ok', store: 'ok' });
      expect(body.bus).toMatch(/^down: the in-process bus is closed/);
    } finally {
      await t.close();
    }
  }, 180_000);
});
