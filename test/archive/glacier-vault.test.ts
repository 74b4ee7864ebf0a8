/**
 * The Glacier vault target against a small local Glacier-protocol server
 * (test/support/glacier-server.ts: no real Glacier server can run here), both catalog backends:
 * whole and multipart uploads with tree hashes, archive ids in the catalog, restore through
 * archive-retrieval jobs, refusal of a corrupted cold copy, reconciliation of the catalog with
 * the vault inventory, and a resumed backup that reuses an upload a crash left unrecorded.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { archiveConfigSchema } from '../../src/archive/archive-config.js';
import { CopyVerificationError } from '../../src/archive/archive-errors.js';
import type { Archive } from '../../src/archive/archive.js';
import { treeHash } from '../../src/archive/targets/glacier/tree-hash.js';
import { backends } from '../support/backends.js';
import { startGlacierServer, type GlacierTestServer } from '../support/glacier-server.js';
import { startTestSdc, type TestSdc } from '../support/test-sdc.js';
import { ingestAttitudeFiles } from './archive-test-files.js';

const MiB = 1024 * 1024;

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`Glacier vault target on ${backend.name}`, () => {
    let glacier: GlacierTestServer;
    let t: TestSdc | undefined;
    beforeAll(async () => {
      glacier = await startGlacierServer();
    });
    afterAll(async () => glacier.stop());
    afterEach(async () => {
      await t?.close();
      t = undefined;
    });

    async function setUp(vault: string): Promise<{ t: TestSdc; archive: Archive }> {
      const target = { name: 'vault', kind: 'glacier' as const, vault, ...glacier.targetConfig, partSizeBytes: MiB, inventoryMaxAgeHours: 1e-9 };
      t = await startTestSdc(backend, { archive: { targets: [target], audit: { maxProblemShare: 0.5 } } });
      return { t, archive: await t.sdc.openArchive() };
    }

    const slug = backend.name.startsWith('embedded') ? 'embedded' : 'postgres';
    const archivesOf = (vault: string) => [...glacier.archives.values()].filter((a) => a.vault === vault);

    it('uploads small files whole and a large one in power-of-two parts, keeping archive ids and tree hashes in the catalog', async () => {
      const { t, archive } = await setUp(`${slug}-upload`);
      await ingestAttitudeFiles(t.sdc, path.join(t.dataDir, 'in'), 2, 4096);
      const [big] = await ingestAttitudeFiles(t.sdc, path.join(t.dataDir, 'in'), 1, 3 * MiB + 12_345, 2);
      const before = glacier.requests.length;
      const [result] = await archive.backup('vault');
      expect(result!.failed).toEqual([]);
      expect(result!.files).toBe(3);
      const calls = glacier.requests.slice(before).map((r) => r.replace(/\/[A-Za-z0-9_-]{40,}/g, '/ID'));
      const systemItems = await archive.db.selectFrom('archive_system_copies').select('item_id').execute();
      expect(systemItems.length).toBe(result!.systemItems);
      expect(systemItems.length).toBeGreaterThan(0);
      expect(calls.filter((c) => c.endsWith('/archives'))).toHaveLength(2 + 1 + systemItems.length); // two small files, the manifest, the bundle and configuration files
      expect(calls.filter((c) => c.startsWith('PUT') && c.endsWith('/multipart-uploads/ID'))).toHaveLength(4);

      const rows = await archive.db.selectFrom('archive_copies').innerJoin('files', 'files.id', 'archive_copies.file_id').innerJoin('glacier_archives', 'glacier_archives.archive_id', 'archive_copies.location').select(['files.name', 'files.store_key', 'files.sha256', 'glacier_archives.archive_id', 'glacier_archives.tree_hash', 'glacier_archives.key', 'glacier_archives.sha256 as archived_sha256']).execute();
      expect(rows).toHaveLength(3);
      for (const row of rows) {
        const stored = glacier.archives.get(row.archive_id)!;
        expect(row.tree_hash).toBe(treeHash(stored.bytes));
        expect(row.key).toBe(row.store_key);
        expect(row.archived_sha256).toBe(row.sha256);
        expect(JSON.parse(stored.description)).toEqual({ sdc: row.store_key });
      }
      expect(glacier.archives.get(rows.find((r) => r.name === big)!.archive_id)!.bytes.length).toBe(3 * MiB + 12_345);
      const manifest = await archive.db.selectFrom('glacier_archives').selectAll().where('archive_id', '=', result!.manifestKey).executeTakeFirstOrThrow();
      expect(manifest.key).toMatch(/^_sdc-manifests\/run-/);
      const lines = glacier.archives.get(manifest.archive_id)!.bytes.toString().trim().split('\n').map((l) => JSON.parse(l) as { kind?: string });
      expect(lines.filter((l) => l.kind === undefined)).toHaveLength(3);

      const [again] = await archive.backup('vault');
      expect(again!.files).toBe(0);
    }, 120_000);

    it('resumes after a crash between an upload and its record: the archive already in the vault is reused, not sent again', async () => {
      const vault = `${slug}-resume`;
      const { t, archive } = await setUp(vault);
      const [name] = await ingestAttitudeFiles(t.sdc, path.join(t.dataDir, 'in'), 1, 4096);
      const file = await archive.db.selectFrom('files').selectAll().where('name', '=', name!).executeTakeFirstOrThrow();
      // What a run killed after Glacier answered, before the copy was recorded, leaves behind.
      const uploaded = await archive.target('vault').put(file.store_key, await t.sdc.store.read(file.store_key), { size: file.size, sha256: file.sha256 });
      const fileArchives = () => archivesOf(vault).filter((a) => a.description === JSON.stringify({ sdc: file.store_key }));
      expect(fileArchives()).toHaveLength(1);

      const [resumed] = await archive.backup('vault');
      expect(resumed!.files).toBe(1);
      expect(fileArchives()).toHaveLength(1);
      const copy = await archive.db.selectFrom('archive_copies').selectAll().where('file_id', '=', file.id).executeTakeFirstOrThrow();
      expect(copy.location).toBe(uploaded);
    }, 120_000);

    it('restores through an archive-retrieval job: requested, in progress, then verified and put back', async () => {
      const { t, archive } = await setUp(`${slug}-restore`);
      const [name] = await ingestAttitudeFiles(t.sdc, path.join(t.dataDir, 'in'), 1, 2 * MiB + 5);
      await archive.backup('vault');
      const file = await archive.db.selectFrom('files').selectAll().where('name', '=', name!).executeTakeFirstOrThrow();
      const hotPath = path.join(t.dataDir, 'store', file.store_key);
      const original = await readFile(hotPath);
      await writeFile(hotPath, Buffer.alloc(16));

      expect(await archive.restores.restore(file, archive.targets, 'Bulk')).toEqual({ status: 'requested', target: 'vault' });
      const jobs = [...glacier.jobs.values()].filter((j) => j.vault === `${slug}-restore`);
      expect(jobs).toMatchObject([{ action: 'ArchiveRetrieval', tier: 'Bulk' }]);
      expect(await archive.restores.restore(file, archive.targets)).toEqual({ status: 'in-progress', target: 'vault' });
      glacier.completeJobs();
      expect(await archive.restores.restore(file, archive.targets)).toEqual({ status: 'restored', target: 'vault' });
      expect((await readFile(hotPath)).equals(original)).toBe(true); // not toEqual: element-wise over 2 MiB is slow
      const job = await archive.db.selectFrom('glacier_jobs').selectAll().executeTakeFirstOrThrow();
      expect(job).toMatchObject({ action: 'archive-retrieval', state: 'succeeded', tier: 'Bulk' });
    }, 120_000);

    it('refuses a corrupted cold copy by its tree hash and sha256, and leaves the hot copy untouched', async () => {
      const vault = `${slug}-corrupt`;
      const { t, archive } = await setUp(vault);
      const [name] = await ingestAttitudeFiles(t.sdc, path.join(t.dataDir, 'in'), 1, MiB + 100);
      await archive.backup('vault');
      const file = await archive.db.selectFrom('files').selectAll().where('name', '=', name!).executeTakeFirstOrThrow();
      const copy = await archive.db.selectFrom('archive_copies').selectAll().where('file_id', '=', file.id).executeTakeFirstOrThrow();
      glacier.corruptArchive(copy.location);
      const hotPath = path.join(t.dataDir, 'store', file.store_key);
      await writeFile(hotPath, Buffer.alloc(7));

      expect((await archive.restores.restore(file, archive.targets)).status).toBe('requested');
      glacier.completeJobs();
      const refused = archive.restores.restore(file, archive.targets);
      await expect(refused).rejects.toBeInstanceOf(CopyVerificationError);
      await expect(refused).rejects.toThrow(/not intact/);
      expect(await readFile(hotPath)).toEqual(Buffer.alloc(7));
      const failed = await archive.db.selectFrom('archive_restores').selectAll().executeTakeFirstOrThrow();
      expect(failed.state).toBe('failed');
      expect(failed.error).toContain('tree hash');
    }, 120_000);

    it('reconciles the catalog with the vault inventory: missing, unknown and resized archives found, the missing and resized re-uploaded, the unknown left', async () => {
      const vault = `${slug}-inventory`;
      const { t, archive } = await setUp(vault);
      await ingestAttitudeFiles(t.sdc, path.join(t.dataDir, 'in'), 6, 3000);
      await archive.backup('vault');

      const [pending] = await archive.audit(['vault']);
      expect(pending!.checked).toBe(0);
      expect(pending!.note).toMatch(/no inventory of vault .* yet/);
      glacier.completeJobs();
      const [clean] = await archive.audit(['vault']);
      expect(clean).toMatchObject({ checked: 6, findings: [] });

      const copies = await archive.db.selectFrom('archive_copies').select(['file_id', 'location']).orderBy('file_id').execute();
      glacier.deleteArchive(copies[0]!.location);
      glacier.archives.get(copies[1]!.location)!.bytes = Buffer.alloc(10);
      const unknown = glacier.addArchive(vault, Buffer.from('not ours'));
      const [stale] = await archive.audit(['vault']); // the inventory is old: a new one is requested, the old one serves
      expect(stale!.findings).toEqual([]);
      glacier.completeJobs();

      const [report] = await archive.audit(['vault']);
      const found = Object.fromEntries(report!.findings.map((f) => [f.key, { kind: f.kind, repaired: f.repaired }]));
      expect(found).toEqual({
        [copies[0]!.location]: { kind: 'missing', repaired: true },
        [copies[1]!.location]: { kind: 'size-mismatch', repaired: true },
        [unknown]: { kind: 'dark', repaired: false },
      });
      const now = await archive.db.selectFrom('archive_copies').select(['file_id', 'location']).orderBy('file_id').execute();
      expect(now[0]!.location).not.toBe(copies[0]!.location);
      expect(now[1]!.location).not.toBe(copies[1]!.location);
      expect(glacier.archives.has(unknown)).toBe(true);
      expect(archivesOf(vault).filter((a) => a.description.startsWith('{"sdc":"') && !a.description.includes('"_sdc-'))).toHaveLength(7); // six files, two re-uploads, one deleted
      const recorded = await archive.db.selectFrom('audit_findings').select('kind').where('run_id', '=', report!.runId).execute();
      expect(recorded.map((r) => r.kind).sort()).toEqual(['dark', 'missing', 'size-mismatch']);
    }, 120_000);

  });
}

describe('Glacier vault target configuration', () => {
  it('refuses a part size that is not a power of two times 1 MiB, and says what is allowed', () => {
    for (const partSizeBytes of [3 * MiB, MiB / 2, 8 * 1024 * MiB]) {
      const parsed = archiveConfigSchema.safeParse({ targets: [{ name: 'vault', kind: 'glacier', vault: 'v', partSizeBytes }] });
      expect(parsed.success).toBe(false);
      expect(parsed.error!.issues[0]!.message).toMatch(/power of two times 1 MiB/);
    }
  });

  it('refuses a vault name Glacier would refuse', () => {
    const parsed = archiveConfigSchema.safeParse({ targets: [{ name: 'vault', kind: 'glacier', vault: 'my vault!' }] });
    expect(parsed.error!.issues[0]!.path).toEqual(['targets', 0, 'vault']);
  });

  it('defaults to 8 MiB parts, the Standard tier and a daily inventory', () => {
    const parsed = archiveConfigSchema.parse({ targets: [{ name: 'vault', kind: 'glacier', vault: 'v' }] });
    expect(parsed.targets[0]).toMatchObject({ partSizeBytes: 8 * MiB, restoreTier: 'Standard', inventoryMaxAgeHours: 24, accountId: '-' });
  });
});
