/**
 * Backup of what is not a catalogued file, both catalog backends: every deployed processor
 * bundle's files and the mission configuration go to the folder target once, recorded with
 * their sha256 and listed in the run manifest; `restoreSystem` puts them back into a folder,
 * verified file by file, each bundle hashing to its deployed identity; a corrupted copy is
 * refused and nothing is written in its place.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ManifestLine } from '../../src/archive/backup-manifest.js';
import { filesUnder } from '../../src/archive/system/system-items.js';
import { bundleHash } from '../../src/processors/bundle-hash.js';
import { backends } from '../support/backends.js';
import { startTestSdc, type TestSdc } from '../support/test-sdc.js';

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`backup of processor bundles and mission configuration on ${backend.name}`, () => {
    let t: TestSdc | undefined;
    const cleanUps: string[] = [];
    afterEach(async () => {
      await t?.close();
      t = undefined;
      for (const dir of cleanUps.splice(0)) await rm(dir, { recursive: true, force: true });
    });

    it('backs up every deployed bundle and the mission configuration once, and restores them verified', async () => {
      t = await startTestSdc(backend);
      const archive = await t.sdc.openArchive();
      const deployments = await archive.db.selectFrom('processor_deployments').select(['name', 'version', 'bundle_path', 'bundle_sha256']).execute();
      expect(deployments.length).toBeGreaterThan(0);
      const missionFolder = t.sdc.mission.folder;
      const configFiles = await filesUnder(missionFolder, new Set(deployments.map((d) => path.resolve(d.bundle_path))));
      expect(configFiles).toContain('mission.yaml');
      let bundleFiles = 0;
      for (const d of deployments) bundleFiles += (await filesUnder(d.bundle_path, new Set())).length;

      const [first] = await archive.backup('local');
      expect(first!.failed).toEqual([]);
      expect(first!.systemItems).toBe(bundleFiles + configFiles.length);
      const lines = (await readFile(path.join(t.dataDir, 'backup', first!.manifestKey), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as ManifestLine);
      expect(lines.filter((l) => l.kind === 'processor-bundle')).toHaveLength(bundleFiles);
      const yaml = lines.find((l) => l.kind === 'mission-config' && l.name === 'mission.yaml')!;
      expect(yaml.sha256).toBe(createHash('sha256').update(await readFile(path.join(missionFolder, 'mission.yaml'))).digest('hex'));
      expect(await readFile(path.join(t.dataDir, 'backup', yaml.location))).toEqual(await readFile(path.join(missionFolder, 'mission.yaml')));

      const [second] = await archive.backup('local');
      expect(second!.systemItems).toBe(0);
      const audit = await archive.audit(['local']);
      expect(audit[0]!.findings).toEqual([]);

      const into = await mkdtemp(path.join(os.tmpdir(), 'sdc-system-restore-'));
      cleanUps.push(into);
      const restored = await archive.restoreSystem(into);
      expect(restored.failed).toEqual([]);
      expect(restored.restored).toHaveLength(bundleFiles + configFiles.length);
      for (const d of deployments) expect(await bundleHash(path.join(into, 'processors', `${d.name}@${d.version}`))).toBe(d.bundle_sha256);
      expect(await readFile(path.join(into, 'mission', 'mission.yaml'))).toEqual(await readFile(path.join(missionFolder, 'mission.yaml')));
    }, 120_000);

    it('refuses a corrupted copy of a bundle file and writes nothing in its place', async () => {
      t = await startTestSdc(backend);
      const archive = await t.sdc.openArchive();
      await archive.backup('local');
      const item = await archive.db.selectFrom('archive_system_items').innerJoin('archive_system_copies', 'archive_system_copies.item_id', 'archive_system_items.id').select(['archive_system_items.owner', 'archive_system_items.path', 'archive_system_copies.location']).where('kind', '=', 'processor-bundle').orderBy('archive_system_items.id').executeTakeFirstOrThrow();
      const copyPath = path.join(t.dataDir, 'backup', item.location);
      await writeFile(copyPath, Buffer.concat([await readFile(copyPath), Buffer.from('tampered')]));

      const into = await mkdtemp(path.join(os.tmpdir(), 'sdc-system-restore-'));
      cleanUps.push(into);
      const result = await archive.restoreSystem(into, { bundle: item.owner });
      expect(result.failed.map((f) => f.key)).toEqual([item.location]);
      expect(result.failed[0]!.error.message).toMatch(/no intact copy/);
      await expect(stat(path.join(into, 'processors', item.owner, item.path))).rejects.toMatchObject({ code: 'ENOENT' });
      await expect(archive.restoreSystem(into, { bundle: 'no-such@1.0' })).rejects.toThrow(/no backed-up processor bundle 'no-such@1.0'/);
    }, 120_000);
  });
}
