/**
 * Uploads need team credentials and a role that allows the file: an operator any file, an
 * instrument's team members and admins that instrument's files; the legacy upload service of the
 * team prefix answers as the SPEDAS IDL client expects (200, 400, 401, 411, 413).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../support/backends.js';
import { startApiFixture, type ApiFixture } from './api-fixture.js';

const TEAM = '/mms/sdc/sitl/files/api/v1';
const PUBLIC = '/mms/sdc/public/files/api/v1';
const MAX_UPLOAD = 4096;

interface ErrorBody {
  error: { code: string; message: string };
}

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`uploads on ${backend.name}`, () => {
    let f: ApiFixture;
    const put = (name: string, body: string | Buffer, headers: Record<string, string> = {}) => fetch(`${f.baseUrl}/api/v1/files/${name}`, { method: 'PUT', body, headers });
    const catalogued = async (name: string) => (await f.t.sdc.catalog.db.selectFrom('files').select('id').where('name', '=', name).execute()).length;
    const quarantined = async () => (await f.t.sdc.catalog.db.selectFrom('quarantine').select('name').execute()).map((q) => q.name);

    beforeAll(async () => {
      f = await startApiFixture(backend, { api: { port: 0, maxUploadBytes: MAX_UPLOAD } });
      for (const [user, role, instrument] of [['fgm-member', 'team-member', 'fgm'], ['fpi-admin', 'instrument-admin', 'fpi'], ['op', 'operator', '*'], ['sitl', 'sitl', '*']] as const) {
        await f.accounts.createUser(user, `${user}-pass`);
        await f.accounts.grantRole(user, role, instrument);
      }
      await f.accounts.createUser('no-roles', 'no-roles-pass');
    }, 120_000);
    afterAll(async () => f?.close());

    it('refuses an anonymous upload with 401, WWW-Authenticate and a JSON reason, keeping nothing', async () => {
      const res = await put('mms1_fgm_srvy_l0_20151016_v0.0.0.dat', 'telemetry');
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Basic realm="MMS SDC team"/);
      expect(((await res.json()) as ErrorBody).error).toEqual({ code: 'unauthorized', message: 'uploads need team credentials (HTTP Basic or a bearer token)' });
      const wrong = await put('mms1_fgm_srvy_l0_20151016_v0.0.0.dat', 'telemetry', f.basic('fgm-member', 'wrong'));
      expect(wrong.status).toBe(401);
      expect(await catalogued('mms1_fgm_srvy_l0_20151016_v0.0.0.dat')).toBe(0);
      expect(await quarantined()).toEqual([]);
    });

    it("lets an instrument's team member upload that instrument's files, and no other instrument's", async () => {
      const own = await put('mms1_fgm_srvy_l0_20151016_v0.0.0.dat', 'telemetry', f.basic('fgm-member', 'fgm-member-pass'));
      expect(own.status).toBe(201);
      expect(((await own.json()) as { status: string }).status).toBe('ingested');
      const other = await put('mms1_fpi_fast_l0_20151016_v0.0.0.dat', 'telemetry', f.basic('fgm-member', 'fgm-member-pass'));
      expect(other.status).toBe(403);
      expect(((await other.json()) as ErrorBody).error).toEqual({ code: 'forbidden', message: "user 'fgm-member' may not upload telemetry files: that needs the role team-member or instrument-admin or operator for instrument 'fpi'" });
      const admin = await put('mms1_fpi_fast_l0_20151016_v0.0.0.dat', 'telemetry', f.basic('fpi-admin', 'fpi-admin-pass'));
      expect(admin.status).toBe(201);
    });

    it('keeps files of no instrument (ancillary) to roles held for every instrument: an operator', async () => {
      const name = 'MMS1_DEFATT_2015289_2015289.V00';
      const member = await put(name, 'attitude', f.basic('fgm-member', 'fgm-member-pass'));
      expect(member.status).toBe(403);
      expect(((await member.json()) as ErrorBody).error.message).toMatch(/for every instrument \(\*\)$/);
      expect((await put(name, 'attitude', f.basic('sitl', 'sitl-pass'))).status).toBe(403);
      expect((await put(name, 'attitude', f.basic('no-roles', 'no-roles-pass'))).status).toBe(403);
      expect((await put(name, 'attitude', f.basic('op', 'op-pass'))).status).toBe(201);
    });

    it('accepts a live API token as upload credentials', async () => {
      const token = await f.accounts.issueToken('op', 'uploads');
      const res = await put('mms2_fgm_srvy_l0_20151016_v0.0.0.dat', 'telemetry', { authorization: `Bearer ${token.secret}` });
      expect(res.status).toBe(201);
      await f.accounts.revokeToken(token.id);
      expect((await put('mms3_fgm_srvy_l0_20151016_v0.0.0.dat', 'telemetry', { authorization: `Bearer ${token.secret}` })).status).toBe(401);
    });

    it('tells a team member why a name is invalid without keeping it; an operator\'s invalid upload is quarantined', async () => {
      const member = await put('mms1_fgm_srvy_l0_2015-10-16.dat', 'telemetry', f.basic('fgm-member', 'fgm-member-pass'));
      expect(member.status).toBe(400);
      expect(((await member.json()) as ErrorBody).error).toMatchObject({ code: 'invalid-file-name', message: expect.stringMatching(/matches no file-name pattern/) });
      expect(await quarantined()).toEqual([]);
      const operator = await put('mms1_fgm_srvy_l0_2015-10-16.dat', 'telemetry', f.basic('op', 'op-pass'));
      expect(operator.status).toBe(400);
      expect(await quarantined()).toEqual(['mms1_fgm_srvy_l0_2015-10-16.dat']);
    });

    it('refuses an upload without Content-Length (411) or larger than the limit (413) before reading it', async () => {
      const chunked = await fetch(`${f.baseUrl}/api/v1/files/mms4_fgm_srvy_l0_20151016_v0.0.0.dat`, {
        method: 'PUT',
        headers: f.basic('op', 'op-pass'),
        body: new ReadableStream({ start: (c) => (c.enqueue(new TextEncoder().encode('telemetry')), c.close()) }),
        duplex: 'half',
      } as RequestInit);
      expect(chunked.status).toBe(411);
      expect(((await chunked.json()) as ErrorBody).error.message).toBe('an upload needs a Content-Length header (chunked uploads are not accepted)');
      const large = await put('mms4_fgm_srvy_l0_20151016_v0.0.0.dat', Buffer.alloc(MAX_UPLOAD + 1), f.basic('op', 'op-pass'));
      expect(large.status).toBe(413);
      expect(((await large.json()) as ErrorBody).error.message).toBe(`the upload declares ${MAX_UPLOAD + 1} bytes; at most ${MAX_UPLOAD} are accepted`);
      expect(await catalogued('mms4_fgm_srvy_l0_20151016_v0.0.0.dat')).toBe(0);
    });

    it('takes a JSON file as a file, whatever its Content-Type', async () => {
      const calibration = JSON.stringify({ gain: [1, 2, 3] });
      const res = await put('mms1_fgm_cal_20150916_v1.0.0.json', calibration, { 'content-type': 'application/json', ...f.basic('fgm-member', 'fgm-member-pass') });
      expect(res.status).toBe(201);
      const bytes = await (await fetch(`${f.baseUrl}/api/v1/files/mms1_fgm_cal_20150916_v1.0.0.json/content`, { headers: f.basic('fgm-member', 'fgm-member-pass') })).text();
      expect(bytes).toBe(calibration);
    });

    it('serves the legacy upload on the team prefix only, answering 200, 400, 401, 411 and 413 as the IDL client expects', async () => {
      const url = (file: string) => `${f.baseUrl}${TEAM}/upload?file=${file}`;
      const body = 'a=1&b=2';
      const form = { 'content-type': 'application/x-www-form-urlencoded' };
      const ok = await fetch(url('mms1_fgm_srvy_l1a_20151016_v1.0.0.cdf'), { method: 'POST', body, headers: { ...form, ...f.basic('op', 'op-pass') } });
      // The bytes are not a CDF: refused as corrupt, which shows the body reached ingest untouched by the form parser.
      expect(ok.status).toBe(422);
      const stored = await fetch(url('MMS2_DEFATT_2015289_2015289.V00'), { method: 'POST', body, headers: { ...form, ...f.basic('op', 'op-pass') } });
      expect(stored.status).toBe(200);
      expect(((await stored.json()) as { status: string }).status).toBe('ingested');
      expect(await (await fetch(`${f.baseUrl}/api/v1/files/MMS2_DEFATT_2015289_2015289.V00/content`, { headers: f.basic('op', 'op-pass') })).text()).toBe(body);
      const anonymous = await fetch(url('MMS3_DEFATT_2015289_2015289.V00'), { method: 'POST', body });
      expect(anonymous.status).toBe(401);
      expect(anonymous.headers.get('www-authenticate')).toMatch(/^Basic /);
      const badName = await fetch(url('sitl_selections.sav'), { method: 'POST', body, headers: f.basic('sitl', 'sitl-pass') });
      expect(badName.status).toBe(400);
      const noFile = await fetch(`${f.baseUrl}${TEAM}/upload`, { method: 'POST', body, headers: f.basic('op', 'op-pass') });
      expect(noFile.status).toBe(400);
      expect(((await noFile.json()) as ErrorBody).error.message).toBe('upload needs file=<name> in the query string (the body is the file)');
      expect((await fetch(url('MMS3_DEFATT_2015289_2015289.V00'), { method: 'POST', body: Buffer.alloc(MAX_UPLOAD + 1), headers: f.basic('op', 'op-pass') })).status).toBe(413);
      expect((await fetch(`${f.baseUrl}${PUBLIC}/upload?file=MMS3_DEFATT_2015289_2015289.V00`, { method: 'POST', body })).status).toBe(404);
    });
  });
}
