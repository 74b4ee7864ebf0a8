/**
 * The legacy file services answer the requests the real clients send (pySPEDAS, SPEDAS in IDL,
 * pymms, pyrfu) exactly as they parse them: see /work/shared/reference/mms-sdc-api.md.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../support/backends.js';
import { startApiFixture, type ApiFixture } from './api-fixture.js';

interface Answer {
  files: { file_name: string }[];
  error: { message: string };
}

/** The JSON body of an answer, typed as the tests read it. */
const body = async (res: Response) => (await res.json()) as Answer;

const PUBLIC = '/mms/sdc/public/files/api/v1';
const TEAM = '/mms/sdc/sitl/files/api/v1';

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`legacy file services on ${backend.name}`, () => {
    let f: ApiFixture;
    let fgm16: Buffer;
    let hk101: Buffer;
    let model: Buffer;
    const get = (path: string, init?: RequestInit) => fetch(`${f.baseUrl}${path}`, init);

    beforeAll(async () => {
      f = await startApiFixture(backend);
      fgm16 = await f.ingest('mms1_fgm_srvy_l2_20151016_v4.18.0.cdf');
      await f.ingest('mms1_fgm_srvy_l2_20151016_v4.17.0.cdf');
      await f.ingest('mms1_fgm_srvy_l2_20151017_v4.18.0.cdf');
      await f.ingest('mms1_fgm_brst_l2_20151016235000_v5.1.0.cdf');
      await f.ingest('mms2_fgm_srvy_l2_20151016_v4.18.0.cdf');
      await f.ingest('mms1_fpi_fast_l2_dis-moms_20151016000000_v3.4.0.cdf');
      await f.ingest('mms1_fgm_srvy_l1a_20151016_v1.0.0.cdf');
      await f.ingest('MMS1_DEFEPH_2015288_2015289.V00');
      await f.ingest('MMS1_DEFEPH_2015288_2015289.V01');
      await f.ingest('MMS1_DEFEPH_2015290_2015291.V00');
      await f.ingest('MMS_DEFQ_2015288_2015289.V00');
      hk101 = await f.ingest('mms1_fields_hk_l1b_101_20151016_v0.2.0.cdf');
      await f.ingest('mms1_fields_hk_l1b_101_20151016_v0.1.0.cdf');
      await f.ingest('mms1_fields_hk_l1b_10e_20151016_v0.1.0.cdf');
      await f.ingest('mms1_fields_hk_l1b_101_20151017_v0.2.0.cdf');
      await f.ingest('mms_fpi_brst_l2_des-bgdist_v1.0.0_p0-2.cdf');
      model = await f.ingest('mms_fpi_brst_l2_des-bgdist_v1.1.0_p0-2.cdf');
      await f.ingest('mms_fpi_brst_l2_des-bgdist_v1.2.0_p0-2.cdf');
      await f.ingest('mms_fpi_fast_l2_des-bgdist_v1.0.0_p3-5.cdf');
      await f.release(
        'mms1_fgm_srvy_l2_20151016_v4.18.0.cdf', 'mms1_fgm_srvy_l2_20151016_v4.17.0.cdf', 'mms1_fgm_srvy_l2_20151017_v4.18.0.cdf', 'mms1_fgm_brst_l2_20151016235000_v5.1.0.cdf',
        'mms2_fgm_srvy_l2_20151016_v4.18.0.cdf', 'mms1_fpi_fast_l2_dis-moms_20151016000000_v3.4.0.cdf',
        'MMS1_DEFEPH_2015288_2015289.V00', 'MMS1_DEFEPH_2015288_2015289.V01', 'MMS1_DEFEPH_2015290_2015291.V00', 'MMS_DEFQ_2015288_2015289.V00',
        'mms1_fields_hk_l1b_101_20151017_v0.2.0.cdf',
        'mms_fpi_brst_l2_des-bgdist_v1.0.0_p0-2.cdf', 'mms_fpi_brst_l2_des-bgdist_v1.1.0_p0-2.cdf', 'mms_fpi_fast_l2_des-bgdist_v1.0.0_p3-5.cdf',
      );
      await f.accounts.createUser('sitl', 'secret');
      await f.accounts.grantRole('sitl', 'team-member', '*');
    }, 120_000);
    afterAll(async () => f?.close());

    it('answers pySPEDAS file_info with one line of Python-style JSON, latest versions only', async () => {
      const res = await get(`${PUBLIC}/file_info/science?start_date=2015-10-16&end_date=2015-10-16-23-59-59&sc_id=mms1&instrument_id=fgm&data_rate_mode=srvy&data_level=l2`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      const text = await res.text();
      const modified = JSON.parse(text).files[0].modified_date as string;
      expect(modified).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/);
      expect(text).toBe(`{"files": [{"file_name": "mms1_fgm_srvy_l2_20151016_v4.18.0.cdf", "file_size": ${fgm16.length}, "timetag": "2015-10-16T00:00:00", "modified_date": "${modified}"}]}`);
    });

    it('covers the whole day of a date-only end_date, and a comma list of spacecraft (pymms, IDL)', async () => {
      const res = await get(`${PUBLIC}/file_info/science?sc_id=mms1,mms2&instrument_id=fgm&data_rate_mode=srvy&data_level=l2&start_date=2015-10-16&end_date=2015-10-16`);
      const names = (await body(res)).files.map((x: { file_name: string }) => x.file_name).sort();
      expect(names).toEqual(['mms1_fgm_srvy_l2_20151016_v4.18.0.cdf', 'mms2_fgm_srvy_l2_20151016_v4.18.0.cdf']);
    });

    it('accepts every date format the clients send (YYYY-MM-DD-hh, -hh-mm-ss, ISO) and the brst kludge start', async () => {
      for (const [start, end] of [['2015-10-16-23', '2015-10-17-00'], ['2015-10-16-23-50-00', '2015-10-16-23-59-59'], ['2015-10-16T23:50:00', '2015-10-17T00:00:00']]) {
        const res = await get(`${PUBLIC}/file_names/science?sc_id=mms1&instrument_id=fgm&data_rate_mode=brst&data_level=l2&start_date=${start}&end_date=${end}`);
        expect(await res.text()).toBe('mms/data/mms1/fgm/brst/l2/2015/10/16/mms1_fgm_brst_l2_20151016235000_v5.1.0.cdf');
      }
    });

    it('lists file_names as mms/data paths, newest first, with no spaces', async () => {
      const res = await get(`${PUBLIC}/file_names/science?sc_id=mms1&instrument_id=fgm&data_rate_mode=srvy&data_level=l2&start_date=2015-10-16&end_date=2015-10-17`);
      expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
      expect(await res.text()).toBe('mms/data/mms1/fgm/srvy/l2/2015/10/mms1_fgm_srvy_l2_20151017_v4.18.0.cdf,mms/data/mms1/fgm/srvy/l2/2015/10/mms1_fgm_srvy_l2_20151016_v4.18.0.cdf');
    });

    it('selects by descriptor', async () => {
      const res = await get(`${PUBLIC}/file_names/science?sc_id=mms1&instrument_id=fpi&data_rate_mode=fast&data_level=l2&descriptor=dis-moms&start_date=2015-10-16&end_date=2015-10-16-23-59-59`);
      expect(await res.text()).toBe('mms/data/mms1/fpi/fast/l2/dis-moms/2015/10/mms1_fpi_fast_l2_dis-moms_20151016000000_v3.4.0.cdf');
    });

    it('answers an empty match with {"files": []} and an empty file_names body', async () => {
      const info = await get(`${PUBLIC}/file_info/science?sc_id=mms3&instrument_id=fgm&start_date=2015-10-16&end_date=2015-10-16`);
      expect(info.status).toBe(200);
      expect(await info.text()).toBe('{"files": []}');
      const names = await get(`${PUBLIC}/file_names/science?sc_id=mms3&start_date=2015-10-16&end_date=2015-10-16`);
      expect(names.status).toBe(200);
      expect(await names.text()).toBe('');
    });

    it('returns an older version when asked by version= or by file name, and nothing for conflicting constraints', async () => {
      const byVersion = await get(`${PUBLIC}/file_info/science?sc_id=mms1&instrument_id=fgm&data_rate_mode=srvy&data_level=l2&start_date=2015-10-16&end_date=2015-10-16&version=4.17.0`);
      expect((await body(byVersion)).files.map((x: { file_name: string }) => x.file_name)).toEqual(['mms1_fgm_srvy_l2_20151016_v4.17.0.cdf']);
      const byName = await get(`${PUBLIC}/file_info/science?files=mms1_fgm_srvy_l2_20151016_v4.17.0.cdf,mms1_fgm_srvy_l2_20151017_v4.18.0.cdf`);
      expect((await body(byName)).files).toHaveLength(2);
      const conflicting = await get(`${PUBLIC}/file_names/science?file=mms1_fgm_srvy_l2_20151016_v4.18.0.cdf&sc_id=mms2`);
      expect(await conflicting.text()).toBe('');
    });

    it('accepts POST form bodies (pymms) and collapses double slashes (pyrfu)', async () => {
      const post = await get(`${PUBLIC}/file_info/science`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'sc_id=mms2&instrument_id=fgm&start_date=2015-10-16&end_date=2015-10-17' });
      expect((await body(post)).files.map((x: { file_name: string }) => x.file_name)).toEqual(['mms2_fgm_srvy_l2_20151016_v4.18.0.cdf']);
      const doubled = await get(`${PUBLIC}//file_names/science?start_date=2015-10-16&end_date=2015-10-16&sc_id=mms2`, { headers: { authorization: 'Basic Og==' } });
      expect(await doubled.text()).toBe('mms/data/mms2/fgm/srvy/l2/2015/10/mms2_fgm_srvy_l2_20151016_v4.18.0.cdf');
    });

    it('downloads the exact bytes with Content-Length, never compressed, and 404 for an unknown file', async () => {
      const res = await get(`${PUBLIC}/download/science?file=mms1_fgm_srvy_l2_20151016_v4.18.0.cdf`, { headers: { 'accept-encoding': 'gzip' } });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-encoding')).toBeNull();
      expect(res.headers.get('content-length')).toBe(String(fgm16.length));
      expect(Buffer.from(await res.arrayBuffer()).equals(fgm16)).toBe(true);
      expect((await get(`${PUBLIC}/download/science?file=mms1_fgm_srvy_l2_20991016_v4.18.0.cdf`)).status).toBe(404);
    });

    it('answers ancillary file_info with exactly four keys, newest first, product case-insensitive', async () => {
      const res = await get(`${PUBLIC}/file_info/ancillary?sc_id=mms1&product=DEFEPH&start_date=2015-10-15&end_date=2015-10-17`);
      const text = await res.text();
      expect(text).toMatch(/^\{"files": \[\{"file_name": "MMS1_DEFEPH_2015290_2015291\.V00", "file_size": \d+, "start_date": "2015-10-17T00:00:00", "end_date": "2015-10-18T00:00:00"\}, \{"file_name": "MMS1_DEFEPH_2015288_2015289\.V01", "file_size": \d+, "start_date": "2015-10-15T00:00:00", "end_date": "2015-10-16T00:00:00"\}\]\}$/);
    });

    it('serves constellation ancillary products for sc_id=mms, and predicted products without dates', async () => {
      const res = await get(`${PUBLIC}/file_names/ancillary?sc_id=mms&product=defq`);
      expect(await res.text()).toBe('mms/data/ancillary/defq/MMS_DEFQ_2015288_2015289.V00');
      const day = await get(`${TEAM}/day_info/ancillary?sc_id=mms1&product=defeph&start_date=2015-10-15&end_date=2015-10-15`, { headers: f.basic('sitl', 'secret') });
      expect(JSON.parse(await day.text())).toEqual([expect.objectContaining({ file_name: 'MMS1_DEFEPH_2015288_2015289.V01' })]);
    });

    it('answers version_info with a JSON object', async () => {
      const res = await get(`${PUBLIC}/version_info/science?sc_id=mms1&instrument_id=fgm&data_level=l2`, { method: 'POST' });
      expect(await res.json()).toEqual({ versions: [{ product: 'mms1_fgm_brst_l2', version: '5.1.0' }, { product: 'mms1_fgm_srvy_l2', version: '4.18.0' }] });
    });

    it('refuses the team paths without credentials (401 + WWW-Authenticate) and accepts the pySPEDAS login probe', async () => {
      const anonymous = await get(`${TEAM}/download/science`);
      expect(anonymous.status).toBe(401);
      expect(anonymous.headers.get('www-authenticate')).toMatch(/^Basic realm="MMS SDC team"/);
      expect((await get(`${TEAM}/download/science`, { headers: f.basic('sitl', 'wrong') })).status).toBe(401);
      const probe = await get(`${TEAM}/download/science`, { headers: f.basic('sitl', 'secret') });
      expect(probe.status).toBe(400);
    });

    it('shows the team its unreleased levels on the team path only', async () => {
      const query = 'file_names/science?sc_id=mms1&instrument_id=fgm&data_level=l1a&start_date=2015-10-16&end_date=2015-10-16';
      expect(await (await get(`${PUBLIC}/${query}`)).text()).toBe('');
      expect(await (await get(`${TEAM}/${query}`, { headers: f.basic('sitl', 'secret') })).text()).toBe('mms/data/mms1/fgm/srvy/l1a/2015/10/mms1_fgm_srvy_l1a_20151016_v1.0.0.cdf');
    });

    it('serves housekeeping as the hk data type: file_info, file_names as mms/data paths, download, latest versions, team only until released', async () => {
      const team = f.basic('sitl', 'secret');
      const info = await get(`${TEAM}/file_info/hk?sc_id=mms1&instrument_id=fields&data_level=l1b&descriptor=101&start_date=2015-10-16&end_date=2015-10-16`, { headers: team });
      const text = await info.text();
      const modified = JSON.parse(text).files[0].modified_date as string;
      expect(text).toBe(`{"files": [{"file_name": "mms1_fields_hk_l1b_101_20151016_v0.2.0.cdf", "file_size": ${hk101.length}, "timetag": "2015-10-16T00:00:00", "modified_date": "${modified}"}]}`);
      const names = await get(`${TEAM}/file_names/hk?sc_id=mms1&instrument_id=fields&start_date=2015-10-16&end_date=2015-10-17`, { headers: team });
      expect(await names.text()).toBe([
        'mms/data/mms1/fields/hk/l1b/101/2015/10/mms1_fields_hk_l1b_101_20151017_v0.2.0.cdf',
        'mms/data/mms1/fields/hk/l1b/10e/2015/10/mms1_fields_hk_l1b_10e_20151016_v0.1.0.cdf',
        'mms/data/mms1/fields/hk/l1b/101/2015/10/mms1_fields_hk_l1b_101_20151016_v0.2.0.cdf',
      ].join(','));
      const download = await get(`${TEAM}/download/hk?file=mms1_fields_hk_l1b_101_20151016_v0.2.0.cdf`, { headers: team });
      expect(download.status).toBe(200);
      expect(Buffer.from(await download.arrayBuffer()).equals(hk101)).toBe(true);
      expect(await (await get(`${PUBLIC}/file_names/hk?sc_id=mms1&start_date=2015-10-16&end_date=2015-10-17`)).text()).toBe('mms/data/mms1/fields/hk/l1b/101/2015/10/mms1_fields_hk_l1b_101_20151017_v0.2.0.cdf');
      expect((await get(`${PUBLIC}/download/hk?file=mms1_fields_hk_l1b_101_20151016_v0.2.0.cdf`)).status).toBe(404);
      expect(await (await get(`${TEAM}/file_names/science?sc_id=mms1&instrument_id=fields&start_date=2015-10-16&end_date=2015-10-17`, { headers: team })).text()).toBe('');
    });

    it('serves the FPI models index as pymms and pySPEDAS read it: one link per model, its newest released version, downloadable beside it', async () => {
      const res = await get('/mms/sdc/public/data/models/fpi/');
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      const html = await res.text();
      // pymms' own regular expression (model_listing), then its one-file-per-stepper rule.
      const pymms = [...html.matchAll(/<a href="(mms_fpi_(brst|fast)_l2_des-bgdist_v[0-9]+.[0-9]+.[0-9]+_p[0-9]+-[0-9]+.cdf)">/g)].map((m) => m[1]);
      expect(pymms).toEqual(['mms_fpi_brst_l2_des-bgdist_v1.1.0_p0-2.cdf', 'mms_fpi_fast_l2_des-bgdist_v1.0.0_p3-5.cdf']);
      // pySPEDAS: every href, matched against its glob, the last match.
      const glob = /^mms_fpi_brst_l2_des-bgdist_v.\..\..\_p0-2\.cdf$/;
      const hrefs = [...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1]!);
      expect(hrefs.filter((h) => glob.test(h)).at(-1)).toBe('mms_fpi_brst_l2_des-bgdist_v1.1.0_p0-2.cdf');
      const download = await get('/mms/sdc/public/data/models/fpi/mms_fpi_brst_l2_des-bgdist_v1.1.0_p0-2.cdf');
      expect(download.status).toBe(200);
      expect(download.headers.get('content-length')).toBe(String(model.length));
      expect(Buffer.from(await download.arrayBuffer()).equals(model)).toBe(true);
      expect((await get('/mms/sdc/public/data/models/fpi/mms_fpi_brst_l2_des-bgdist_v1.0.0_p0-2.cdf')).status).toBe(200);
      expect((await get('/mms/sdc/public/data/models/fpi/mms_fpi_brst_l2_des-bgdist_v1.2.0_p0-2.cdf')).status).toBe(404);
      expect((await get('/mms/sdc/public/data/models/fpi/mms1_fgm_srvy_l2_20151016_v4.18.0.cdf')).status).toBe(404);
      const bare = await get('/mms/sdc/public/data/models/fpi', { redirect: 'manual' });
      expect(bare.status).toBe(301);
      expect(bare.headers.get('location')).toBe('/mms/sdc/public/data/models/fpi/');
    });

    it('answers bad dates and unknown services with clear errors', async () => {
      const bad = await get(`${PUBLIC}/file_info/science?start_date=2015-13-40`);
      expect(bad.status).toBe(400);
      expect((await body(bad)).error.message).toMatch(/start_date '2015-13-40' is not a valid date/);
      expect((await get(`${PUBLIC}/file_info/nonsense`)).status).toBe(404);
    });
  });
}
