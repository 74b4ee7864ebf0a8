/**
 * Who sees what: the public only released files, by every endpoint, parameter and encoding of a
 * name; team members the unreleased files of their instruments only; revoked tokens, wrong
 * passwords and foreign JWTs refused; failed logins rate-limited; releases approved, applied by
 * the policy after their latency, withdrawn, and audited.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReleaseService } from '../../src/api/release/release-service.js';
import { pullMirror } from '../../src/archive/mirror/mirror-puller.js';
import { backends } from '../support/backends.js';
import { startApiFixture, type ApiFixture } from './api-fixture.js';

const PUBLIC = '/mms/sdc/public/files/api/v1';
const TEAM = '/mms/sdc/sitl/files/api/v1';
const SECRET_FILE = 'mms1_fpi_fast_l1a_des-moms_20151016000000_v1.0.0.cdf';
const OPEN_FILE = 'mms1_fgm_srvy_l2_20151016_v4.18.0.cdf';

/** A JWKS endpoint of a test identity provider (the boundary no server here plays: a local one does). */
async function startJwks(): Promise<{ server: Server; url: string; sign(claims: Record<string, unknown>, key?: CryptoKey): Promise<string> }> {
  const { publicKey, privateKey } = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  const server = createServer((_req, res) => res.setHeader('content-type', 'application/json').end(JSON.stringify({ keys: [jwk] })));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/jwks.json`;
  return {
    server,
    url,
    sign: (claims, key = privateKey) => new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).setIssuer('https://idp.test').setAudience('sdc').setIssuedAt().setExpirationTime('5m').sign(key),
  };
}

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`access on ${backend.name}`, () => {
    let f: ApiFixture;
    let idp: Awaited<ReturnType<typeof startJwks>>;
    const get = (path: string, init?: RequestInit) => fetch(`${f.baseUrl}${path}`, init);

    beforeAll(async () => {
      idp = await startJwks();
      f = await startApiFixture(backend, { auth: { oidc: { jwksUrl: idp.url, issuer: 'https://idp.test', audience: 'sdc', usernameClaim: 'preferred_username', rolesClaim: 'sdc_roles' }, maxFailedLogins: 3, failedLoginWindowMs: 60_000 } });
      await f.ingest(SECRET_FILE);
      await f.ingest(OPEN_FILE);
      await f.ingest('mms1_fgm_srvy_l2_20151016_v4.19.0.cdf');
      await f.release(OPEN_FILE);
      await f.accounts.createUser('fgm-member', 'fgm-pass');
      await f.accounts.grantRole('fgm-member', 'team-member', 'fgm');
      await f.accounts.createUser('fpi-member', 'fpi-pass');
      await f.accounts.grantRole('fpi-member', 'team-member', 'fpi');
      await f.accounts.createUser('locked', 'right');
      await f.accounts.grantRole('locked', 'team-member', '*');
    }, 120_000);
    afterAll(async () => {
      await f?.close();
      idp?.server.close();
    });

    it('never lists or serves an unreleased file to an anonymous request, by any endpoint, parameter or encoding', async () => {
      const encodings = [SECRET_FILE, encodeURIComponent(SECRET_FILE), SECRET_FILE.replace('m', '%6d'), SECRET_FILE.toUpperCase(), `mms/data/mms1/fpi/fast/l1a/des-moms/2015/10/${SECRET_FILE}`, `../${SECRET_FILE}`, `${SECRET_FILE}%00`, ` ${SECRET_FILE} `];
      const paths: string[] = [];
      for (const name of encodings) {
        for (const service of ['file_info', 'file_names', 'download', 'version_info']) {
          paths.push(`${PUBLIC}/${service}/science?file=${name}`, `${PUBLIC}/${service}/science?files=${name},${OPEN_FILE}`);
        }
        paths.push(`/mms/sdc/public/data/models/fpi/${name}`, `/api/v1/files/${name}`, `/api/v1/files/${name}/content`, `/api/v1/files?name=${name}`, `/api/v1/bundles?names=${name}`, `/api/v1/bundles?names=${name},${OPEN_FILE}&format=tar`);
      }
      for (const q of ['sc_id=mms1', 'instrument_id=fpi', 'data_level=l1a', 'data_level=l1a&instrument_id=fpi&sc_id=mms1&data_rate_mode=fast&descriptor=des-moms', 'start_date=2015-10-16&end_date=2015-10-17', 'version=1.0.0']) {
        for (const service of ['file_info', 'file_names', 'download', 'version_info']) paths.push(`${PUBLIC}/${service}/science?${q}`);
      }
      paths.push('/mms/sdc/public/data/models/fpi/', '/api/v1/files?versions=all&limit=1000', '/api/v1/files?level=l1a', '/api/v1/availability?product=mms1_fpi_fast_l1a_des-moms&from=2015-10-01&to=2015-10-31', '/', '/?level=l1a', '/availability?product=mms1_fpi_fast_l1a_des-moms&month=2015-10');
      // A request naming the unreleased file must answer exactly as for a file that does not exist.
      const twin = (path: string) => path.replaceAll('fpi_fast_l1a', 'fpi_fast_l1b').replaceAll('FPI_FAST_L1A', 'FPI_FAST_L1B');
      const answer = async (path: string, method: string) => {
        const res = await get(path, { method, headers: { authorization: 'Basic Og==' } });
        return { status: res.status, body: Buffer.from(await res.arrayBuffer()).toString('latin1') };
      };
      for (const path of paths) {
        for (const method of ['GET', 'POST']) {
          const seen = await answer(path, method);
          const absent = await answer(twin(path), method);
          expect.soft(seen.status, `${method} ${path}`).toBeLessThan(500);
          expect.soft(twin(seen.body), `${method} ${path} differs from the answer for a file that does not exist`).toBe(absent.body);
          expect.soft(seen.status, `${method} ${path}`).toBe(absent.status);
          expect.soft(seen.body.includes('v4.19.0'), `${method} ${path} leaked the unreleased version`).toBe(false);
          if (!twin(path).includes('fpi_fast_l1b')) expect.soft(seen.body.includes('fpi_fast_l1a'), `${method} ${path} leaked the unreleased file`).toBe(false);
        }
      }
      const days = (await (await get('/api/v1/availability?product=mms1_fpi_fast_l1a_des-moms&from=2015-10-01&to=2015-10-31')).json()) as { days: unknown[] };
      expect(days.days).toEqual([]);
    });

    it('gives the public the latest released version, not the newer unreleased one', async () => {
      const text = await (await get(`${PUBLIC}/file_names/science?sc_id=mms1&instrument_id=fgm&start_date=2015-10-16&end_date=2015-10-16`)).text();
      expect(text).toBe(`mms/data/mms1/fgm/srvy/l2/2015/10/${OPEN_FILE}`);
    });

    it('refuses a team member files of an instrument it has no role for', async () => {
      const fgm = f.basic('fgm-member', 'fgm-pass');
      expect(await (await get(`${TEAM}/file_names/science?file=${SECRET_FILE}`, { headers: fgm })).text()).toBe('');
      expect((await get(`${TEAM}/download/science?file=${SECRET_FILE}`, { headers: fgm })).status).toBe(404);
      expect((await get(`/api/v1/files/${SECRET_FILE}/content`, { headers: fgm })).status).toBe(404);
      expect(await (await get(`${TEAM}/file_names/science?sc_id=mms1&instrument_id=fgm&start_date=2015-10-16&end_date=2015-10-16`, { headers: fgm })).text()).toMatch(/v4\.19\.0\.cdf$/);
      const fpi = await get(`${TEAM}/download/science?file=${SECRET_FILE}`, { headers: f.basic('fpi-member', 'fpi-pass') });
      expect(fpi.status).toBe(200);
    });

    it('accepts a live API token and refuses it once revoked', async () => {
      const token = await f.accounts.issueToken('fpi-member', 'laptop');
      const bearer = { authorization: `Bearer ${token.secret}` };
      expect((await get(`/api/v1/files/${SECRET_FILE}`, { headers: bearer })).status).toBe(200);
      await f.accounts.revokeToken(token.id);
      const refused = await get(`/api/v1/files/${SECRET_FILE}`, { headers: bearer });
      expect(refused.status).toBe(401);
      expect((await get(`${TEAM}/file_names/science?file=${SECRET_FILE}`, { headers: bearer })).status).toBe(401);
    });

    it('accepts an OIDC JWT signed by the configured provider, with its roles claim, and refuses one signed by another key', async () => {
      const jwt = await idp.sign({ preferred_username: 'carol', sdc_roles: ['fpi:team-member'] });
      const res = await get(`${TEAM}/file_names/science?file=${SECRET_FILE}`, { headers: { authorization: `Bearer ${jwt}` } });
      expect(res.status).toBe(200);
      expect(await res.text()).toMatch(/fpi_fast_l1a/);
      const other = await generateKeyPair('RS256');
      const forged = await idp.sign({ preferred_username: 'carol', sdc_roles: ['*:operator'] }, other.privateKey);
      expect((await get(`${TEAM}/file_names/science?file=${SECRET_FILE}`, { headers: { authorization: `Bearer ${forged}` } })).status).toBe(401);
    });

    it('keeps the team mirror feed, which serves unreleased files, to mirror and operator accounts', async () => {
      const paths = ['/api/v1/mirror/manifest', '/api/v1/mirror/changes', `/api/v1/mirror/files/${SECRET_FILE}`];
      for (const path of paths) {
        const anonymous = await get(path);
        expect(anonymous.status, path).toBe(401);
        expect(anonymous.headers.get('www-authenticate'), path).toMatch(/^Basic /);
        const member = await get(path, { headers: f.basic('fpi-member', 'fpi-pass') });
        expect(member.status, path).toBe(403);
        expect(((await member.json()) as { error: { message: string } }).error.message).toBe("the team mirror feed needs the mirror or operator role for every instrument (*); user 'fpi-member' does not hold it");
      }
      await f.accounts.createUser('spdf', 'mirror-pass');
      await f.accounts.grantRole('spdf', 'mirror');
      const token = await f.accounts.issueToken('spdf', 'spdf mirror');
      const bearer = { authorization: `Bearer ${token.secret}` };
      const manifest = await get('/api/v1/mirror/manifest', { headers: bearer });
      expect(manifest.status).toBe(200);
      expect(((await manifest.json()) as { files: { name: string }[] }).files.map((x) => x.name)).toContain(SECRET_FILE);
      // A mirror account is not a team member and sees no operator view.
      expect((await get('/api/v1/mirror/mirrors', { headers: bearer })).status).toBe(403);
      expect((await get('/api/v1/jobs', { headers: bearer })).status).not.toBe(200);
      const root = await mkdtemp(join(tmpdir(), 'sdc-access-mirror-'));
      try {
        await expect(pullMirror({ url: f.baseUrl, root, name: 'anonymous', feed: 'team' })).rejects.toThrow(/HTTP 401/);
        const pulled = await pullMirror({ url: f.baseUrl, root, name: 'partner', feed: 'team', authorization: `Bearer ${token.secret}` });
        expect(pulled.applied).toBeGreaterThan(0);
      } finally {
        await rm(root, { recursive: true, force: true });
      }
    });

    it('gives anyone the public mirror feed of released files only: never an unreleased file through the manifest, changes or downloads', async () => {
      const manifest = (await (await get('/api/v1/mirror/public/manifest')).json()) as { files: { name: string }[] };
      expect(manifest.files.map((x) => x.name)).toEqual([OPEN_FILE]);
      const changes = (await (await get('/api/v1/mirror/public/changes')).json()) as { changes: { name: string; change: string }[] };
      expect(changes.changes.map((c) => `${c.change} ${c.name}`)).toEqual([`added ${OPEN_FILE}`]);
      for (const name of [SECRET_FILE, 'mms1_fgm_srvy_l2_20151016_v4.19.0.cdf']) expect((await get(`/api/v1/mirror/public/files/${name}`)).status, name).toBe(404);
      expect((await get(`/api/v1/mirror/public/files/${OPEN_FILE}`)).status).toBe(200);
      // An anonymous mirror is registered nowhere: acknowledging needs a mirror account.
      expect((await get('/api/v1/mirror/mirrors/anyone/ack?cursor=1&feed=public', { method: 'POST' })).status).toBe(401);
      const root = await mkdtemp(join(tmpdir(), 'sdc-access-public-mirror-'));
      try {
        const pulled = await pullMirror({ url: f.baseUrl, root, name: 'anyone', feed: 'public' });
        expect(pulled.applied).toBe(1);
      } finally {
        await rm(root, { recursive: true, force: true });
      }
    });

    it('rate-limits failed logins per user: after the limit even the right password gets 429', async () => {
      for (let i = 0; i < 3; i++) expect((await get(`${TEAM}/file_names/science`, { headers: f.basic('locked', 'wrong') })).status).toBe(401);
      const limited = await get(`${TEAM}/file_names/science`, { headers: f.basic('locked', 'right') });
      expect(limited.status).toBe(429);
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    });

    it('releases an approved product version after its latency, withdraws it on demand, and audits both', async () => {
      const db = f.t.sdc.catalog.db;
      const service = new ReleaseService(db, 'mms', f.t.sdc.mission.config.release.rules);
      const name = 'mms2_fgm_srvy_l2_20151018_v4.20.0.cdf';
      await f.ingest(name);
      const listed = async () => (await (await get(`${PUBLIC}/file_names/science?sc_id=mms2&start_date=2015-10-18&end_date=2015-10-18`)).text());
      expect(await service.run(new Date(Date.now() + 40 * 86_400_000))).toEqual([]);
      await service.approve('mms2_fgm_srvy_l2', '4.20.0', 'fgm-admin');
      expect(await service.run()).toEqual([]);
      expect(await listed()).toBe('');
      expect(await service.run(new Date(Date.now() + 31 * 86_400_000))).toEqual([{ product: 'mms2_fgm_srvy_l2', version: '4.20.0', files: 1 }]);
      expect(await listed()).toMatch(new RegExp(`${name}$`));
      expect(await service.withdraw('mms2_fgm_srvy_l2', '4.20.0', 'fgm-admin', 'bad calibration')).toBe(1);
      expect(await listed()).toBe('');
      expect(await service.run(new Date(Date.now() + 60 * 86_400_000))).toEqual([]);
      const audit = await service.audit();
      expect(audit.slice(0, 3).map((a) => [a.action, a.actor, a.product, a.version_label, a.files])).toEqual([
        ['withdraw', 'fgm-admin', 'mms2_fgm_srvy_l2', '4.20.0', 1],
        ['release', 'release-job', 'mms2_fgm_srvy_l2', '4.20.0', 1],
        ['approve', 'fgm-admin', 'mms2_fgm_srvy_l2', '4.20.0', 0],
      ]);
    });
  });
}
