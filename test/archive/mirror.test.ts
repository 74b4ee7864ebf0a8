/**
 * Mirroring between two SDC instances on loopback, both catalog backends: the second pulls the
 * first's production files into its tree, is interrupted part-way, resumes, ends identical
 * (same keys, same sha256), then picks up a new version; the first knows how far behind the
 * mirror is from its acknowledged cursor.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { mirrorRoutes } from '../../src/api/routes/mirror-routes.js';
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
      const url = await serveMirrorFeed(source);
      const root = await mkdtemp(path.join(os.tmpdir(), 'sdc-mirror-tree-'));
      cleanUps.push(() => rm(root, { recursive: true, force: true }));

      const first = await pullMirror({ url, root, name: 'spdf', maxChanges: 3 });
      expect(first).toEqual({ applied: 3, cursor: 3 });
      const lagAfterInterrupt = (await (await fetch(`${url}/api/v1/mirror/mirrors`)).json()) as { mirrors: { name: string; behind: number }[] };
      expect(lagAfterInterrupt.mirrors).toMatchObject([{ name: 'spdf', behind: 5 }]);

      const resumed = await pullMirror({ url, root, name: 'spdf' });
      expect(resumed.applied).toBe(5);
      const expected = await archiveDb(source.sdc.catalog.db).selectFrom('files').select(['store_key', 'sha256']).execute();
      expect(await tree(root)).toEqual(Object.fromEntries(expected.map((f) => [f.store_key, f.sha256])));

      await ingestAttitudeFiles(source.sdc, path.join(source.dataDir, 'in2'), 1, 3000, 0, 1);
      const changes: string[] = [];
      await pullMirror({ url, root, name: 'spdf', onChange: (entry, action) => changes.push(`${entry.change} ${entry.name} ${action}`) });
      expect(changes).toEqual([`superseded ${attitudeName(0)} noted`, `added ${attitudeName(0, 1)} fetched`]);
      const all = await archiveDb(source.sdc.catalog.db).selectFrom('files').select(['store_key', 'sha256']).execute();
      expect(await tree(root)).toEqual(Object.fromEntries(all.map((f) => [f.store_key, f.sha256])));
      const lag = (await (await fetch(`${url}/api/v1/mirror/mirrors`)).json()) as { mirrors: { name: string; behind: number }[] };
      expect(lag.mirrors).toMatchObject([{ name: 'spdf', behind: 0 }]);
      const manifest = (await (await fetch(`${url}/api/v1/mirror/manifest`)).json()) as { files: { name: string }[] };
      expect(manifest.files).toHaveLength(9);
    });
  });
}

/**
 * Serves the source SDC's mirror routes on a loopback port, mounted as the API mounts them,
 * without the rest of the API (its access policy is another suite's subject).
 */
async function serveMirrorFeed(source: TestSdc): Promise<string> {
  const app = express().use('/api/v1/mirror', mirrorRoutes({ db: source.sdc.catalog.db, store: source.sdc.store, mission: source.sdc.mission }));
  const server = await new Promise<import('node:http').Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const close = source.close;
  source.close = async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await close();
  };
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}
