/**
 * Backup of what is not a catalogued file, both catalog backends: every deployed processor
 * bundle's files and the mission configuration go to the folder target once, recorded with
 * their sha256 and listed in the run manifest; `restoreSystem` puts them back into a folder,
 * verified file by file, each bundle hashing to its deployed identity; a corrupted copy is
 * refused and nothing is written in its place. The audit checks the system copies of each
 * target: missing and corrupted copies are found and re-copied from the live file or another
 * target's verified copy; a copy bad everywhere is reported and left, never deleted.
 */
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ManifestLine } from '../../src/archive/backup-manifest.js';
import { filesUnder } from '../../src/archive/system/system-items.js';
import { bundleHash } from '../../src/processors/bundle-hash.js';
import { backends } from '../support/backends.js';
import { startTestSdc, type TestSdc } from '../support/test-sdc.js';
import { overwriteReadOnly } from '../support/overwrite-read-only.js';

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
      await overwriteReadOnly(copyPath, Buffer.concat([await readFile(copyPath), Buffer.from('tampered')]));

      const into = await mkdtemp(path.join(os.tmpdir(), 'sdc-system-restore-'));
      cleanUps.push(into);
      const result = await archive.restoreSystem(into, { bundle: item.owner });
      expect(result.failed.map((f) => f.key)).toEqual([item.location]);
      expect(result.failed[0]!.error.message).toMatch(/no intact copy/);
      await expect(stat(path.join(into, 'processors', item.owner, item.path))).rejects.toMatchObject({ code: 'ENOENT' });
      await expect(archive.restoreSystem(into, { bundle: 'no-such@1.0' })).rejects.toThrow(/no backed-up processor bundle 'no-such@1.0'/);
    }, 120_000);

    it('audits the system copies of a target: missing and corrupted ones repaired from a verified copy, one bad everywhere left in place', async () => {
      const secondRoot = await mkdtemp(path.join(os.tmpdir(), 'sdc-system-second-'));
      cleanUps.push(secondRoot);
      t = await startTestSdc(backend, { archive: { targets: [{ name: 'local', kind: 'folder' }, { name: 'second', kind: 'folder', root: secondRoot }], audit: { maxProblemShare: 1 } } });
      const archive = await t.sdc.openArchive();
      const roots: Record<string, string> = { local: path.join(t.dataDir, 'backup'), second: secondRoot };
      const mission = t.sdc.mission.config.id;
      // Earlier contents of mission.yaml (edited since): their only sources are the targets' copies.
      const olderConfig = async (text: string) => {
        const bytes = Buffer.from(text);
        const sha256 = createHash('sha256').update(bytes).digest('hex');
        const key = `_sdc-system/${mission}/mission/${sha256.slice(0, 16)}/mission.yaml`;
        const item = await archive.db.insertInto('archive_system_items').values({ mission, kind: 'mission-config', owner: mission, path: 'mission.yaml', key, size: bytes.length, sha256, bundle_sha256: null }).returning('id').executeTakeFirstOrThrow();
        for (const target of ['local', 'second']) {
          await mkdir(path.dirname(path.join(roots[target]!, key)), { recursive: true });
          await writeFile(path.join(roots[target]!, key), bytes);
          await archive.db.insertInto('archive_system_copies').values({ item_id: item.id, target, location: key, size: bytes.length, sha256, storage_class: null, run_id: null }).execute();
        }
        return key;
      };
      const corrupt = async (target: string, key: string) => overwriteReadOnly(path.join(roots[target]!, key), Buffer.concat([await readFile(path.join(roots[target]!, key)), Buffer.from('tampered')]));
      for (const target of ['local', 'second']) expect((await archive.backup(target))[0]!.failed).toEqual([]);
      const older = await olderConfig('id: older\n');
      const lastCopy = await olderConfig('id: oldest\n');
      const keys = await archive.db.selectFrom('archive_system_items').select(['key', 'kind', 'path']).orderBy('id').execute();
      const bundleKey = keys.find((k) => k.kind === 'processor-bundle')!.key;
      const liveYaml = keys.find((k) => k.kind === 'mission-config' && k.path === 'mission.yaml' && k.key !== older && k.key !== lastCopy)!.key;
      expect((await archive.audit(['local/system']))[0]!.findings).toEqual([]);

      await rm(path.join(roots.local!, bundleKey));
      await corrupt('local', liveYaml);
      await corrupt('local', older);
      await corrupt('local', lastCopy);
      await corrupt('second', lastCopy);
      const reports = await archive.audit(['local']);
      expect(reports.map((r) => r.location)).toEqual(['local', 'local/system']);
      expect(reports[0]!.findings).toEqual([]);
      const byKey = Object.fromEntries(reports[1]!.findings.map((f) => [f.key, f]));
      expect(Object.keys(byKey).sort()).toEqual([bundleKey, liveYaml, older, lastCopy].sort());
      expect(byKey[bundleKey]).toMatchObject({ kind: 'missing', repaired: true, repair: expect.stringMatching(/^re-copied from .*processors/) });
      expect(byKey[liveYaml]).toMatchObject({ kind: 'size-mismatch', repaired: true, repair: expect.stringMatching(/^re-copied from .*mission\.yaml$/) });
      expect(byKey[older]).toMatchObject({ kind: 'size-mismatch', repaired: true, repair: 're-copied from second' });
      expect(byKey[lastCopy]).toMatchObject({ kind: 'size-mismatch', repaired: false, repair: expect.stringMatching(/no verified copy to repair from/) });
      expect((await readFile(path.join(roots.local!, older))).toString()).toBe('id: older\n');
      // The copy bad everywhere is still there, in both targets.
      expect((await readFile(path.join(roots.local!, lastCopy))).toString()).toBe('id: oldest\ntampered');
      expect((await readFile(path.join(roots.second!, lastCopy))).toString()).toBe('id: oldest\ntampered');

      const again = await archive.audit(['local/system']);
      expect(again[0]!.findings.map((f) => f.key)).toEqual([lastCopy]);
      const recorded = await archive.db.selectFrom('audit_findings').select(['location', 'kind', 'repaired']).where('run_id', '=', reports[1]!.runId).execute();
      expect(recorded).toHaveLength(4);
      expect(recorded.every((r) => r.location === 'local/system')).toBe(true);
    }, 120_000);
  });
}
