/**
 * Incremental backup to the local folder target (the embedded default) on both catalog
 * backends: every file once, verified, recorded per (file, target), a manifest per run, a
 * second run sends nothing, a corrupted hot copy is not backed up.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Archive } from '../../src/archive/archive.js';
import type { ManifestLine } from '../../src/archive/backup-manifest.js';
import { backends } from '../support/backends.js';
import { startTestSdc, type TestSdc } from '../support/test-sdc.js';
import { ingestAttitudeFiles } from './archive-test-files.js';
import { overwriteReadOnly } from '../support/overwrite-read-only.js';

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`backup to a folder target on ${backend.name}`, () => {
    let t: TestSdc | undefined;
    afterEach(async () => t?.close());

    async function setUp(): Promise<{ t: TestSdc; archive: Archive }> {
      t = await startTestSdc(backend);
      return { t, archive: await t.sdc.openArchive() };
    }

    it('copies every catalogued file once, records each copy and writes a manifest of the run', async () => {
      const { t, archive } = await setUp();
      const names = await ingestAttitudeFiles(t.sdc, path.join(t.dataDir, 'in'), 12);
      const [first] = await archive.backup('local');
      expect(first!.files).toBe(12);
      expect(first!.failed).toEqual([]);
      const copies = await archive.db.selectFrom('archive_copies').innerJoin('files', 'files.id', 'archive_copies.file_id').select(['files.name', 'files.store_key', 'archive_copies.sha256', 'files.sha256 as catalogSha']).execute();
      expect(copies.map((c) => c.name).sort()).toEqual([...names].sort());
      for (const copy of copies) {
        expect(copy.sha256).toBe(copy.catalogSha);
        const bytes = await readFile(path.join(t.dataDir, 'backup', copy.store_key));
        expect(bytes.length).toBe(2048);
      }
      const lines = (await readFile(path.join(t.dataDir, 'backup', first!.manifestKey), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as ManifestLine);
      const manifest = lines.filter((l) => l.kind === undefined);
      expect(manifest).toHaveLength(12);
      expect(lines.length - manifest.length).toBe(first!.systemItems);
      expect(Object.keys(manifest[0]!).sort()).toEqual(['backedUpAt', 'key', 'location', 'name', 'sha256', 'size', 'target', 'version']);
      expect(manifest.map((l) => l.version)).toContain('00');

      const [second] = await archive.backup('local');
      expect(second!.files).toBe(0);
      await ingestAttitudeFiles(t.sdc, path.join(t.dataDir, 'in'), 3, 100, 12);
      const [third] = await archive.backup('local');
      expect(third!.files).toBe(3);
    });

    it('does not back up a hot copy that no longer matches the catalog, and says which', async () => {
      const { t, archive } = await setUp();
      const [name] = await ingestAttitudeFiles(t.sdc, path.join(t.dataDir, 'in'), 2);
      const row = await archive.db.selectFrom('files').select('store_key').where('name', '=', name!).executeTakeFirstOrThrow();
      await overwriteReadOnly(path.join(t.dataDir, 'store', row.store_key), Buffer.alloc(2048, 7));
      const [result] = await archive.backup('local');
      expect(result!.files).toBe(1);
      expect(result!.failed.map((f) => [f.fileName, f.error.name])).toEqual([[name, 'StoreChecksumMismatchError']]);
      const run = await archive.db.selectFrom('archive_runs').selectAll().where('id', '=', result!.runId).executeTakeFirstOrThrow();
      expect(run.state).toBe('failed');
      expect(run.error).toContain(name);
    });
  });
}
