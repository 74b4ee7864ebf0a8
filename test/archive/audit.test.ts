/**
 * The integrity audit on both catalog backends, with the folder target: a deleted hot file,
 * a corrupted hot file and a dark hot file are found and repaired (the first two from the
 * verified backup copy, the dark one moved aside, not deleted); a target's missing or corrupted
 * copy is re-copied from the hot store; a copy that cannot be verified anywhere is never used
 * and nothing is deleted; an implausibly large share of problems stops the audit untouched.
 */
import { access, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AuditAbortedError } from '../../src/archive/archive-errors.js';
import type { Archive } from '../../src/archive/archive.js';
import { backends } from '../support/backends.js';
import { startTestSdc, type TestSdc } from '../support/test-sdc.js';
import { ingestAttitudeFiles } from './archive-test-files.js';
import { overwriteReadOnly } from '../support/overwrite-read-only.js';

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`integrity audit on ${backend.name}`, () => {
    let t: TestSdc | undefined;
    afterEach(async () => t?.close());

    async function backedUp(count: number, maxProblemShare = 0.5): Promise<{ t: TestSdc; archive: Archive; keys: Map<string, string> }> {
      t = await startTestSdc(backend, { archive: { audit: { maxProblemShare } } });
      const archive = await t.sdc.openArchive();
      const names = await ingestAttitudeFiles(t.sdc, path.join(t.dataDir, 'in'), count);
      await archive.backup();
      const rows = await archive.db.selectFrom('files').select(['name', 'store_key']).execute();
      const keys = new Map(rows.map((r) => [r.name, r.store_key]));
      expect(keys.size).toBe(names.length);
      return { t, archive, keys };
    }

    it('finds a deleted, a corrupted and a dark hot file and repairs each, the first two from the verified backup', async () => {
      const { t, archive, keys } = await backedUp(10);
      const [deleted, corrupted] = [...keys.values()];
      const hot = (key: string) => path.join(t.dataDir, 'store', key);
      const original = await readFile(hot(corrupted!));
      await rm(hot(deleted!));
      await overwriteReadOnly(hot(corrupted!), Buffer.alloc(original.length, 0));
      await writeFile(hot('ancillary/mms1/defatt/stray.bin'), 'not catalogued');

      const [report] = await archive.audit(['hot']);
      const byKind = Object.fromEntries(report!.findings.map((f) => [f.kind, f]));
      expect(Object.keys(byKind).sort()).toEqual(['checksum-mismatch', 'dark', 'missing']);
      expect(byKind.missing).toMatchObject({ key: deleted, repaired: true, repair: 're-copied from local' });
      expect(byKind['checksum-mismatch']).toMatchObject({ key: corrupted, repaired: true });
      expect(byKind.dark).toMatchObject({ key: 'ancillary/mms1/defatt/stray.bin', repaired: true });
      expect(await readFile(hot(corrupted!))).toEqual(original);
      await access(hot(deleted!));
      expect(await readFile(path.join(t.dataDir, 'dark', 'ancillary/mms1/defatt/stray.bin'), 'utf8')).toBe('not catalogued');

      const recorded = await archive.db.selectFrom('audit_findings').select(['kind', 'repaired']).where('run_id', '=', report!.runId).execute();
      expect(recorded).toHaveLength(3);
      const [again] = await archive.audit(['hot']);
      expect(again!.findings).toEqual([]);
    });

    it('re-copies a target copy that is missing or corrupted from the hot store, and leaves a dark target file in place', async () => {
      const { t, archive, keys } = await backedUp(10);
      const [missing, corrupted] = [...keys.values()];
      const backup = (key: string) => path.join(t.dataDir, 'backup', key);
      await rm(backup(missing!));
      await overwriteReadOnly(backup(corrupted!), Buffer.alloc(2048, 3));
      await writeFile(backup('ancillary/extra.bin'), 'dark in the target');

      const [report] = await archive.audit(['local']);
      expect(report!.findings.map((f) => [f.kind, f.repaired]).sort()).toEqual([['checksum-mismatch', true], ['dark', false], ['missing', true]]);
      expect(await readFile(backup(corrupted!))).toEqual(await readFile(path.join(t.dataDir, 'store', corrupted!)));
      expect(await readFile(backup('ancillary/extra.bin'), 'utf8')).toBe('dark in the target');
    });

    it('never uses or deletes a copy that does not verify: a file corrupted in both places stays, reported as not repaired', async () => {
      const { t, archive, keys } = await backedUp(10);
      const [key] = [...keys.values()];
      await overwriteReadOnly(path.join(t.dataDir, 'store', key!), Buffer.alloc(2048, 1));
      await overwriteReadOnly(path.join(t.dataDir, 'backup', key!), Buffer.alloc(2048, 2));
      const [report] = await archive.audit(['hot']);
      expect(report!.findings).toHaveLength(1);
      expect(report!.findings[0]).toMatchObject({ kind: 'checksum-mismatch', repaired: false });
      expect(report!.findings[0]!.repair).toContain('refused');
      expect(await readFile(path.join(t.dataDir, 'store', key!))).toEqual(Buffer.alloc(2048, 1));
      expect(await readFile(path.join(t.dataDir, 'backup', key!))).toEqual(Buffer.alloc(2048, 2));
    });

    it('stops and alerts without repairing when more than the configured share is bad', async () => {
      const { t, archive, keys } = await backedUp(10, 0.2);
      for (const key of [...keys.values()].slice(0, 3)) await rm(path.join(t.dataDir, 'store', key));
      await expect(archive.audit(['hot'])).rejects.toBeInstanceOf(AuditAbortedError);
      const run = await archive.db.selectFrom('audit_runs').selectAll().orderBy('id', 'desc').executeTakeFirstOrThrow();
      expect(run).toMatchObject({ state: 'aborted', problems: 3, repaired: 0 });
      for (const key of [...keys.values()].slice(0, 3)) await expect(access(path.join(t.dataDir, 'store', key))).rejects.toThrow();
    });
  });
}
