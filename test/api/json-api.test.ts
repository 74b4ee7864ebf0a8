/**
 * Our own JSON API: search with cursor pagination over latest or all versions, file detail with
 * versions and provenance, availability per day, named releases pinning versions, the OpenAPI
 * file, /metrics, security headers and clear 400s.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReleaseSnapshots } from '../../src/api/release/release-snapshots.js';
import { backends } from '../support/backends.js';
import { startApiFixture, type ApiFixture } from './api-fixture.js';
import { untar } from './untar.js';

interface Page {
  files: { name: string; version: string }[];
  nextCursor: string | null;
}

const DAYS = ['20151016', '20151017', '20151018', '20151019', '20151020'];

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`JSON API on ${backend.name}`, () => {
    let f: ApiFixture;
    const json = async <T>(path: string, init?: RequestInit) => (await (await fetch(`${f.baseUrl}${path}`, init)).json()) as T;

    beforeAll(async () => {
      f = await startApiFixture(backend);
      const names = DAYS.map((d) => `mms1_fgm_srvy_l2_${d}_v4.18.0.cdf`);
      for (const name of names) await f.ingest(name);
      await f.ingest('mms1_fgm_srvy_l2_20151016_v4.19.0.cdf');
      await f.release(...names, 'mms1_fgm_srvy_l2_20151016_v4.19.0.cdf');
      await new ReleaseSnapshots(f.t.sdc.catalog.db, 'mms').create('fgm-l2-2015-10', 'FGM L2, October 2015', 'test', { filters: { product: ['mms1_fgm_srvy_l2'] } });
      await f.ingest('mms1_fgm_srvy_l2_20151017_v4.20.0.cdf');
      await f.release('mms1_fgm_srvy_l2_20151017_v4.20.0.cdf');
    }, 120_000);
    afterAll(async () => f?.close());

    it('pages through the latest versions with a cursor, each file once', async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: Page = await json<Page>(`/api/v1/files?product=mms1_fgm_srvy_l2&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
        expect(page.files.length).toBeLessThanOrEqual(2);
        seen.push(...page.files.map((x) => x.name));
        cursor = page.nextCursor;
      } while (cursor);
      expect(seen).toEqual(['mms1_fgm_srvy_l2_20151016_v4.19.0.cdf', 'mms1_fgm_srvy_l2_20151017_v4.20.0.cdf', ...DAYS.slice(2).map((d) => `mms1_fgm_srvy_l2_${d}_v4.18.0.cdf`)]);
      expect((await json<Page>('/api/v1/files?product=mms1_fgm_srvy_l2&versions=all&limit=1000')).files).toHaveLength(7);
    });

    it('lists a named release as it was pinned, never mixing in newer versions', async () => {
      const page = await json<Page>('/api/v1/files?release=fgm-l2-2015-10&limit=100');
      expect(page.files.map((x) => x.name)).toEqual(['mms1_fgm_srvy_l2_20151016_v4.19.0.cdf', ...DAYS.slice(1).map((d) => `mms1_fgm_srvy_l2_${d}_v4.18.0.cdf`)]);
      expect(await json('/api/v1/releases')).toMatchObject({ releases: [{ name: 'fgm-l2-2015-10', files: 5, createdBy: 'test' }] });
      expect((await fetch(`${f.baseUrl}/api/v1/releases/nope`)).status).toBe(404);
    });

    it('downloads a named release as one archive of exactly the versions it pins, narrowed by time', async () => {
      const whole = await fetch(`${f.baseUrl}/api/v1/bundles?release=fgm-l2-2015-10&format=tar`);
      expect(whole.status).toBe(200);
      expect(whole.headers.get('content-disposition')).toBe('attachment; filename="fgm-l2-2015-10.tar"');
      const names = [...(await untar(Buffer.from(await whole.arrayBuffer()))).keys()];
      expect(names).toEqual(['mms1_fgm_srvy_l2_20151016_v4.19.0.cdf', ...DAYS.slice(1).map((d) => `mms1_fgm_srvy_l2_${d}_v4.18.0.cdf`)]);
      const day = await fetch(`${f.baseUrl}/api/v1/bundles?release=fgm-l2-2015-10&format=tar&from=2015-10-17T00:00:00Z&to=2015-10-17T12:00:00Z`);
      expect([...(await untar(Buffer.from(await day.arrayBuffer()))).keys()]).toEqual(['mms1_fgm_srvy_l2_20151017_v4.18.0.cdf']);
      const unknown = await fetch(`${f.baseUrl}/api/v1/bundles?release=nope`);
      expect(unknown.status).toBe(404);
      expect(((await unknown.json()) as { error: { message: string } }).error.message).toBe("no release named 'nope'");
      const empty = await fetch(`${f.baseUrl}/api/v1/bundles?release=fgm-l2-2015-10&from=2016-01-01&to=2016-01-31`);
      expect(empty.status).toBe(404);
      expect(((await empty.json()) as { error: { message: string } }).error.message).toBe("release 'fgm-l2-2015-10' holds no file matching this request");
    });

    it('details a file with its versions, newest first, and its provenance', async () => {
      const detail = await json<{ name: string; versions: { version: string; latest: boolean }[]; provenance: { source: string }; metadata: object }>('/api/v1/files/mms1_fgm_srvy_l2_20151016_v4.18.0.cdf');
      expect(detail.versions.map((v) => [v.version, v.latest])).toEqual([['4.19.0', true], ['4.18.0', false]]);
      expect(detail.provenance).toMatchObject({ source: 'drop', provenanceUrl: '/api/v1/files/mms1_fgm_srvy_l2_20151016_v4.18.0.cdf/provenance' });
      expect(detail.metadata).toMatchObject({ cdf: { globalAttributes: { Logical_file_id: ['mms1_fgm_srvy_l2_20151016_v4.18.0'] } } });
    });

    it('counts files per day of a product (latest versions)', async () => {
      const body = await json<{ days: { day: string; files: number }[] }>('/api/v1/availability?product=mms1_fgm_srvy_l2&from=2015-10-01&to=2015-10-31');
      expect(body.days.map((d) => [d.day, d.files])).toEqual(DAYS.map((d) => [`${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6)}`, 1]));
    });

    it('serves its OpenAPI description, Prometheus metrics and security headers', async () => {
      const doc = await json<{ openapi: string; paths: Record<string, unknown> }>('/api/v1/openapi.json');
      expect(doc.openapi).toBe('3.1.0');
      expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/v1/files', '/api/v1/files/{name}/content', '/api/v1/availability', '/api/v1/releases']));
      const metrics = await fetch(`${f.baseUrl}/metrics`);
      expect(metrics.headers.get('content-type')).toMatch(/^text\/plain/);
      expect(await metrics.text()).toMatch(/^sdc_http_requests_total\{method="GET",route="\/api\/v1\/openapi.json",status="200"\} \d+$/m);
      const res = await fetch(`${f.baseUrl}/`);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
      expect(res.headers.get('x-powered-by')).toBeNull();
    });

    it('answers bad parameters with 400 and a message naming the parameter', async () => {
      for (const [query, message] of [['limit=0', /limit must be an integer from 1 to 1000/], ['limit=5000', /limit must be/], ['from=yesterday', /from must be an ISO 8601 date/], ['versions=some', /versions must be 'latest' or 'all'/], ['cursor=xyz', /cursor is not one this API returned/], ['level=l2&level=l1a', /level must be given once/]] as const) {
        const res = await fetch(`${f.baseUrl}/api/v1/files?${query}`);
        expect(res.status, query).toBe(400);
        expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(message);
      }
      expect((await fetch(`${f.baseUrl}/api/v1/availability`)).status).toBe(400);
      expect((await fetch(`${f.baseUrl}/api/v1/files/..%2F..%2Fetc%2Fpasswd/content`)).status).toBe(404);
    });

    it('keeps the job list for the team', async () => {
      expect((await fetch(`${f.baseUrl}/api/v1/jobs`)).status).toBe(404);
      await f.accounts.createUser('op', 'op-pass');
      await f.accounts.grantRole('op', 'operator');
      const res = await fetch(`${f.baseUrl}/api/v1/jobs`, { headers: f.basic('op', 'op-pass') });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ jobs: [] });
    });

    it('shows the team the active processor versions per tier with their jobs per state', async () => {
      expect((await fetch(`${f.baseUrl}/api/v1/processors`)).status).toBe(404);
      await f.accounts.createUser('viewer', 'viewer-pass');
      await f.accounts.grantRole('viewer', 'team-member', 'fgm');
      const body = await json<{ processors: { name: string; tier: string; deployedBy: string; jobs: Record<string, number>; lastSucceededAt: string | null }[] }>('/api/v1/processors', { headers: f.basic('viewer', 'viewer-pass') });
      expect(body.processors.map((p) => `${p.name} ${p.tier}`)).toEqual(['fgm-l1a production', 'fgm-l1b production', 'fgm-l2 production', 'fgm-ql production']);
      expect(body.processors[0]).toMatchObject({ deployedBy: 'mission', jobs: { queued: 0, running: 0, retrying: 0, failed: 0, dead: 0, succeeded: 0 }, lastSucceededAt: null });
    });
  });
}
