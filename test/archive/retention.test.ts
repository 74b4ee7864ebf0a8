/**
 * Retention on both catalog backends: a superseded version leaves the hot store once its
 * backup copy verifies; the newest version never does; a superseded version whose backup copy
 * is corrupted, or that has no backup, stays; a pruned file can be restored.
 */
import { access, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { backends } from '../support/backends.js';
import { startTestSdc, type TestSdc } from '../support/test-sdc.js';
import { attitudeName, ingestAttitudeFiles } from './archive-test-files.js';

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`retention of superseded versions on ${backend.name}`, () => {
    let t: TestSdc | undefined;
    afterEach(async () => t?.close());

    it('prunes only verified-backed-up superseded versions, never the newest, and a pruned file restores', async () => {
      t = await startTestSdc(backend, { archive: { retention: { pruneSupersededAfterDays: 0 } } });
      const archive = await t.sdc.openArchive();
      const dir = path.join(t.dataDir, 'in');
      await ingestAttitudeFiles(t.sdc, dir, 2, 1000, 0, 0);
      await ingestAttitudeFiles(t.sdc, dir, 2, 1000, 0, 1);
      await archive.backup();
      // file 2: superseded, but neither version has a backup yet
      await ingestAttitudeFiles(t.sdc, dir, 1, 1000, 2, 0);
      await ingestAttitudeFiles(t.sdc, dir, 1, 1000, 2, 1);
      const keyOf = async (name: string) => (await archive.db.selectFrom('files').select('store_key').where('name', '=', name).executeTakeFirstOrThrow()).store_key;
      await writeFile(path.join(t.dataDir, 'backup', await keyOf(attitudeName(1, 0))), Buffer.alloc(1000));

      const result = await archive.prune();
      expect(result.pruned.map((p) => p.name)).toEqual([attitudeName(0, 0)]);
      expect(result.kept).toEqual([{ name: attitudeName(1, 0), reason: 'the copy in local is checksum-mismatch' }]);
      const hot = async (name: string) => access(path.join(t!.dataDir, 'store', await keyOf(name))).then(() => true, () => false);
      expect(await hot(attitudeName(0, 0))).toBe(false);
      for (const name of [attitudeName(0, 1), attitudeName(1, 0), attitudeName(1, 1), attitudeName(2, 0), attitudeName(2, 1)]) expect(await hot(name)).toBe(true);

      const file = await archive.db.selectFrom('files').selectAll().where('name', '=', attitudeName(0, 0)).executeTakeFirstOrThrow();
      expect(file.hot_pruned_at).not.toBeNull();
      expect(await archive.restores.restore(file, archive.targets)).toEqual({ status: 'restored', target: 'local' });
      expect(await hot(attitudeName(0, 0))).toBe(true);
      const [audit] = await archive.audit(['hot']);
      expect(audit!.findings).toEqual([]);
    });
  });
}
