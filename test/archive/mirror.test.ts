/**
 * Mirroring between two SDC instances on loopback, both catalog backends: the second pulls the
 * first's production files into its tree, is interrupted part-way, resumes, ends identical
 * (same keys, same sha256), then picks up a new version; the first knows how far behind the
 * mirror is from its acknowledged cursor. The pull goes through the source's real API with a
 * mirror account's API token; the team feed refuses anonymous callers (401) on every route (the
 * ack too) and other team members (403), and never carries staging files. The public feed needs
 * no credentials and carries released files only, in release order, withdrawals included.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TeamAccounts } from '../../src/api/access/team-accounts.js';
import { archiveDb } from '../../src/archive/archive-tables.js';
import { pullMirror } from '../../src/archive/mirror/mirror-puller.js';
import { backends } from '../support/backends.js';
import { startTestSdc, type TestSdc } from '../support/test-sdc.js';
import { attitudeName, ingestAttitudeFiles } from './archive-test-files.js';

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`mirror feed and pull on ${backend.name}`, () => {
    const running: TestSdc[] = [];
    const cleanUps: (() => Promise<void>)[] = [];
    afterEach(async () => {
      for (const t of running.splice(0)) await t.close();
      for (const cleanUp of cleanUps.splice(0)) await cleanUp();
    });

    /** Every file of the mirror tree (not its state folder) with its sha256; walked by hand, as Node 20's recursive readdir can miss entries. */
    async function tree(root: string, folder = root, out: Record<string, string> = {}): Promise<Record<string, string>> {
      for (const entry of await readdir(folder, { withFileTypes: true })) {
        const full = path.join(folder, entry.name);
        if (entry.name === '.sdc-mirror') continue;
        if (entry.isDirectory()) await tree(root, full, out);
        else out[path.relative(root, full)] = createHash('sha256').update(await readFile(full)).digest('hex');
      }
      return out;
    }

    it('mirrors the production files, resumes after an interruption, ends identical and follows a new version', async () => {
      const source = await startTestSdc(backend);
      running.push(source);
      const mirror = await startTestSdc(backend);
      running.push(mirror);
      await ingestAttitudeFiles(source.sdc, path.join(source.dataDir, 'in'), 8);
      const { url, authorization, auth } = await serveMirrorFeed(source);
      const root = await mkdtemp(path.join(os.tmpdir(), 'sdc-mirror-tree-'));
      cleanUps.push(() => rm(root, { recursive: true, force: true }));

      const first = await pullMirror({ url, root, name: 'spdf', feed: 'team', authorization, maxChanges: 3 });
      expect(first).toEqual({ applied: 3, cursor: 3 });
      const lagAfterInterrupt = (await (await fetch(`${url}/api/v1/mirror/mirrors`, { headers: auth })).json()) as { mirrors: { name: string; behind: number }[] };
      expect(lagAfterInterrupt.mirrors).toMatchObject([{ name: 'spdf', behind: 5 }]);

      const resumed = await pullMirror({ url, root, name: 'spdf', feed: 'team', authorization });
      expect(resumed.applied).toBe(5);
      const expected = await archiveDb(source.sdc.catalog.db).selectFrom('files').select(['store_key', 'sha256']).execute();
      expect(await tree(root)).toEqual(Object.fromEntries(expected.map((f) => [f.store_key, f.sha256])));

      await ingestAttitudeFiles(source.sdc, path.join(source.dataDir, 'in2'), 1, 3000, 0, 1);
      const changes: string[] = [];
      await pullMirror({ url, root, name: 'spdf', feed: 'team', authorization, onChange: (entry, action) => changes.push(`${entry.change} ${entry.name} ${action}`) });
      expect(changes).toEqual([`superseded ${attitudeName(0)} noted`, `added ${attitudeName(0, 1)} fetched`]);
      const all = await archiveDb(source.sdc.catalog.db).selectFrom('files').select(['store_key', 'sha256']).execute();
      expect(await tree(root)).toEqual(Object.fromEntries(all.map((f) => [f.store_key, f.sha256])));
      const lag = (await (await fetch(`${url}/api/v1/mirror/mirrors`, { headers: auth })).json()) as { mirrors: { name: string; behind: number }[] };
      expect(lag.mirrors).toMatchObject([{ name: 'spdf', behind: 0 }]);
      const manifest = (await (await fetch(`${url}/api/v1/mirror/manifest`, { headers: auth })).json()) as { files: { name: string }[] };
      expect(manifest.files).toHaveLength(9);
    }, 120_000);

    it('serves the team feed only to mirror and operator accounts: anonymous 401 on every route, other team members 403, staging files never', async () => {
      const source = await startTestSdc(backend);
      running.push(source);
      const [production] = await ingestAttitudeFiles(source.sdc, path.join(source.dataDir, 'in'), 1);
      // A staging output (a processor under test): never part of the feed.
      const stagingDir = path.join(source.dataDir, 'staging-in');
      const stagedName = attitudeName(4);
      await mkdir(stagingDir, { recursive: true });
      await writeFile(path.join(stagingDir, stagedName), randomBytes(2048));
      const staged = await source.sdc.ingest.ingestMany([{ path: path.join(stagingDir, stagedName), name: stagedName, source: 'drop' as const, keepSource: true }], { tier: 'staging' });
      expect(staged[0]!.status).toBe('ingested');
      const { url, auth } = await serveMirrorFeed(source);
      const accounts = new TeamAccounts(source.sdc.catalog.db, source.sdc.mission.config.id);
      await accounts.createUser('member');
      await accounts.grantRole('member', 'team-member', '*');
      const narrow = { Authorization: `Bearer ${(await accounts.issueToken('member', 'not a mirror')).secret}` };

      for (const [method, route] of [['GET', '/manifest'], ['GET', '/changes'], ['GET', `/files/${production}`], ['GET', '/mirrors'], ['POST', '/mirrors/x/ack?cursor=1']] as const) {
        const anonymous = await fetch(`${url}/api/v1/mirror${route}`, { method });
        expect(anonymous.status, `${method} ${route}`).toBe(401);
        expect(((await anonymous.json()) as { error: { message: string } }).error.message).toMatch(/needs (mirror or )?operator credentials/);
        const scoped = await fetch(`${url}/api/v1/mirror${route}`, { method, headers: narrow });
        expect(scoped.status, `${method} ${route}`).toBe(403);
      }

      const changes = (await (await fetch(`${url}/api/v1/mirror/changes`, { headers: auth })).json()) as { changes: { name: string }[] };
      const manifest = (await (await fetch(`${url}/api/v1/mirror/manifest`, { headers: auth })).json()) as { files: { name: string }[] };
      expect(changes.changes.map((c) => c.name)).toEqual([production]);
      expect(manifest.files.map((f) => f.name)).toEqual([production]);
      expect((await fetch(`${url}/api/v1/mirror/files/${stagedName}`, { headers: auth })).status).toBe(404);
      const download = await fetch(`${url}/api/v1/mirror/files/${production}`, { headers: auth });
      expect(download.status).toBe(200);
      expect((await download.arrayBuffer()).byteLength).toBe(2048);
    }, 120_000);

    it('mirrors released files anonymously through the public feed, in release order, following new releases and withdrawals', async () => {
      const source = await startTestSdc(backend);
      running.push(source);
      const names = await ingestAttitudeFiles(source.sdc, path.join(source.dataDir, 'in'), 5);
      const db = archiveDb(source.sdc.catalog.db);
      const setReleased = (released: boolean, ...which: string[]) => db.updateTable('files').set({ released_at: released ? new Date() : null }).where('name', 'in', which).execute();
      await setReleased(true, names[2]!);
      await setReleased(true, names[0]!);
      await setReleased(true, names[1]!);
      const { url, authorization, auth } = await serveMirrorFeed(source);
      const root = await mkdtemp(path.join(os.tmpdir(), 'sdc-public-mirror-'));
      cleanUps.push(() => rm(root, { recursive: true, force: true }));
      const publicTree = async () => Object.fromEntries((await db.selectFrom('files').select(['store_key', 'sha256']).where('released_at', 'is not', null).execute()).map((f) => [f.store_key, f.sha256]));
      const pull = async () => {
        const seen: string[] = [];
        await pullMirror({ url, root, name: 'anyone', feed: 'public', onChange: (entry, action) => seen.push(`${entry.change} ${entry.name} ${action}`) });
        return seen;
      };

      expect(await pull()).toEqual([`added ${names[2]} fetched`, `added ${names[0]} fetched`, `added ${names[1]} fetched`]);
      expect(await tree(root)).toEqual(await publicTree());

      // A new version is not public until released; then it supersedes the public one.
      await ingestAttitudeFiles(source.sdc, path.join(source.dataDir, 'in2'), 1, 3000, 0, 1);
      expect(await pull()).toEqual([]);
      await setReleased(true, attitudeName(0, 1));
      expect(await pull()).toEqual([`superseded ${names[0]} noted`, `added ${attitudeName(0, 1)} fetched`]);

      // A withdrawn release leaves the mirror too.
      await setReleased(false, names[2]!);
      expect(await pull()).toEqual([`withdrawn ${names[2]} removed`]);
      expect(await tree(root)).toEqual(await publicTree());
      const manifest = (await (await fetch(`${url}/api/v1/mirror/public/manifest`)).json()) as { files: { key: string; sha256: string }[] };
      expect(Object.fromEntries(manifest.files.map((f) => [f.key, f.sha256]))).toEqual(await publicTree());

      // A registered public mirror (a mirror account's token) has its own cursor on the public feed.
      const registered = await mkdtemp(path.join(os.tmpdir(), 'sdc-public-mirror-registered-'));
      cleanUps.push(() => rm(registered, { recursive: true, force: true }));
      await pullMirror({ url, root: registered, name: 'spdf-public', feed: 'public', authorization });
      const lag = (await (await fetch(`${url}/api/v1/mirror/mirrors`, { headers: auth })).json()) as { mirrors: { name: string; feed: string; behind: number }[] };
      expect(lag.mirrors).toMatchObject([{ name: 'spdf-public', feed: 'public', behind: 0 }]);
      const wrongFeed = await fetch(`${url}/api/v1/mirror/mirrors/spdf-public/ack?cursor=1&feed=team`, { method: 'POST', headers: { authorization } });
      expect(wrongFeed.status).toBe(400);
      await expect(pullMirror({ url, root, name: 'anyone', feed: 'team', authorization })).rejects.toThrow(/follows the public feed/);
    }, 120_000);
  });
}

/**
 * Starts the source SDC's API on a loopback port and makes a mirror account (the `mirror` role
 * for every instrument, as the team feed requires) with an API token, and an operator's token
 * (mirror lag); returns the URL, the mirror's `Authorization` value and the operator's headers.
 */
async function serveMirrorFeed(source: TestSdc): Promise<{ url: string; authorization: string; auth: Record<string, string> }> {
  const url = await source.sdc.startApi();
  const accounts = new TeamAccounts(source.sdc.catalog.db, source.sdc.mission.config.id);
  await accounts.createUser('spdf-mirror');
  await accounts.grantRole('spdf-mirror', 'mirror', '*');
  const { secret } = await accounts.issueToken('spdf-mirror', 'mirror pull');
  await accounts.createUser('site-operator');
  await accounts.grantRole('site-operator', 'operator', '*');
  const operator = await accounts.issueToken('site-operator', 'lag');
  return { url, authorization: `Bearer ${secret}`, auth: { Authorization: `Bearer ${operator.secret}` } };
}
