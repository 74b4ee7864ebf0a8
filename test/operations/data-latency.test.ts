/**
 * The data-latency report from catalog times: per product, end of the data to the raw inputs'
 * arrival (through the job inputs), to availability, to public release; what is later than the
 * mission's thresholds; the day's failed jobs. As a function, and as `sdc report latency`.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { InvalidReportDayError, latencyReport } from '../../src/operations/data-latency.js';
import { latencyReportText } from '../../src/operations/latency-report-text.js';
import { backends } from '../support/backends.js';
import { startTestSdc, type TestSdc } from '../support/test-sdc.js';
import { processLatencyDay, REPORT_TIME, SLOW_MISSION } from './latency-fixture.js';
import { startSdc } from './sdc-process.js';

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`the data-latency report on ${backend.name}`, () => {
    let t: TestSdc;
    beforeAll(async () => {
      t = await startTestSdc(backend, { mission: SLOW_MISSION });
      await processLatencyDay(t);
    }, 180_000);
    afterAll(async () => t?.close());

    it('when a day was processed, then each product shows its arrival, availability and release latencies against its thresholds', async () => {
      const report = await latencyReport(t.sdc.catalog.db, 'slow', t.sdc.mission.config.latency, '2020-03-01', REPORT_TIME);
      expect(report.products).toEqual([
        {
          product: 's1-mag-cal', kind: 'data', level: 'cal', files: 1,
          arrival: { medianSeconds: 1800, maxSeconds: 1800, pending: 0, thresholdSeconds: 3600 },
          available: { medianSeconds: 10_800, maxSeconds: 10_800, pending: 0, thresholdSeconds: 7200 },
          released: { medianSeconds: null, maxSeconds: null, pending: 1, thresholdSeconds: 86_400 },
        },
        {
          product: 's1-mag-raw', kind: 'data', level: 'raw', files: 1,
          arrival: { medianSeconds: 1800, maxSeconds: 1800, pending: 0, thresholdSeconds: null },
          available: { medianSeconds: 1800, maxSeconds: 1800, pending: 0, thresholdSeconds: 3600 },
          released: { medianSeconds: null, maxSeconds: null, pending: 1, thresholdSeconds: null },
        },
      ]);
      // A stem is the name without its version, as the catalog keeps it (lower case for this case-insensitive kind).
      const stem = 'slow-s1-mag-cal-2020-03-01-r.txt';
      expect(report.late).toEqual([
        { product: 's1-mag-cal', stem, stage: 'available', seconds: 10_800, thresholdSeconds: 7200, waiting: false },
        { product: 's1-mag-cal', stem, stage: 'released', seconds: 3 * 86_400, thresholdSeconds: 86_400, waiting: true },
      ]);
      expect(report.failedJobs).toEqual([expect.objectContaining({ processor: 'slow-cal', state: 'dead', attempts: 2, error: 'the processor exited with 3' })]);
      const text = latencyReportText(report);
      expect(text).toContain('s1-mag-cal  1      30.0 min / 30.0 min, limit 60.0 min  3.0 h / 3.0 h, limit 2.0 h');
      expect(text).toContain('available took 3.0 h (limit 2.0 h)');
      expect(text).toContain('released still waiting after 3.0 d (limit 24.0 h)');
      expect(text).toMatch(/job \d+ dead slow-cal@0\.1\.0 \(production\) s1, 2 attempt\(s\): the processor exited with 3/);
    });

    it('when a day has no data, then the report says so', async () => {
      const report = await latencyReport(t.sdc.catalog.db, 'slow', t.sdc.mission.config.latency, '2020-03-09', REPORT_TIME);
      expect(report.products).toEqual([]);
      expect(latencyReportText(report)).toContain('(no production file of that day)');
    });

    it('when the day is not a date, then the report refuses it with the expected form', async () => {
      await expect(latencyReport(t.sdc.catalog.db, 'slow', [], '2020-3-1')).rejects.toThrow(InvalidReportDayError);
      await expect(latencyReport(t.sdc.catalog.db, 'slow', [], '2020-02-30')).rejects.toThrow("a report day looks like 2015-10-16, got '2020-02-30'");
    });

    it.runIf(backend.name.startsWith('PostgreSQL'))('when run as sdc report latency, then it prints the report as JSON or text, and refuses a bad day', async () => {
      const file = path.join(t.dataDir, 'report.config.yaml');
      await writeFile(file, stringify({ ...t.config, mission: SLOW_MISSION, log: { level: 'error' } }));
      const json = startSdc(['report', 'latency', '--day', '2020-03-01', '--json'], { SDC_CONFIG: file });
      expect(await json.exited, json.stderr()).toBe(0);
      const report = JSON.parse(json.stdout()) as { day: string; products: { product: string }[]; late: unknown[] };
      expect(report.day).toBe('2020-03-01');
      expect(report.products.map((p) => p.product)).toEqual(['s1-mag-cal', 's1-mag-raw']);
      expect(report.late).toHaveLength(2);
      const bad = startSdc(['report', 'latency', '--day', 'yesterday'], { SDC_CONFIG: file });
      expect(await bad.exited).toBe(2);
      expect(bad.stderr()).toContain("sdc: a report day looks like 2015-10-16, got 'yesterday'");
    }, 240_000);
  });
}
