/**
 * Backup to S3 with a storage class against a real S3-protocol server (s3rver), restore from it
 * through the cold-restore state machine (a documented fake: no emulator implements
 * RestoreObject), and refusal of a corrupted cold copy. Both catalog backends.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CopyVerificationError } from '../../src/archive/archive-errors.js';
import type { Archive } from '../../src/archive/archive.js';
import { backends } from '../support/backends.js';
import { startS3Server, type S3TestServer } from '../support/s3-server.js';
import { startTestSdc, type TestSdc } from '../support/test-sdc.js';
import { ingestAttitudeFiles } from './archive-test-files.js';
import { FakeColdRestorer } from './fake-cold-restorer.js';
import { overwriteReadOnly } from '../support/overwrite-read-only.js';

const MiB = 1024 * 1024;

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`S3 backup target and restore on ${backend.name}`, () => {
    let s3: S3TestServer;
    let client: S3Client;
    let t: TestSdc | undefined;
    beforeAll(async () => {
      s3 = await startS3Server({ bucket: 'sdc-backup' });
      client = new S3Client(s3.clientConfig);
    });
    afterAll(async () => {
      client.destroy();
      await s3.stop();
    });
    afterEach(async () => t?.close());

    async function setUp(prefix: string, storageClass: 'DEEP_ARCHIVE' | 'STANDARD_IA'): Promise<{ t: TestSdc; archive: Archive; restorer: FakeColdRestorer }> {
      const target = { name: 'cold', kind: 's3' as const, bucket: s3.bucket, prefix, endpoint: s3.endpoint, forcePathStyle: true, accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER', checksums: 'WHEN_REQUIRED' as const, storageClass, verify: 'read-back' as const };
      t = await startTestSdc(backend, { archive: { targets: [target] } });
      const restorer = new FakeColdRestorer();
      return { t, archive: await t.sdc.openArchive({ restorers: { cold: restorer } }), restorer };
    }

    it('uploads small files in one PUT and a 12 MiB file in parts, with the storage class and the sha256, each verified by re-reading', async () => {
      const { t, archive } = await setUp('deep', 'DEEP_ARCHIVE');
      await ingestAttitudeFiles(t.sdc, path.join(t.dataDir, 'in'), 3, 4096);
      const [big] = await ingestAttitudeFiles(t.sdc, path.join(t.dataDir, 'in'), 1, 12 * MiB + 12_345, 3);
      const [result] = await archive.backup('cold');
      expect(result!.files).toBe(4);
      const row = await archive.db.selectFrom('files').select(['store_key', 'sha256', 'size']).where('name', '=', big!).executeTakeFirstOrThrow();
      const head = await client.send(new HeadObjectCommand({ Bucket: s3.bucket, Key: `deep/${row.store_key}` }));
      expect(head.StorageClass).toBe('DEEP_ARCHIVE');
      expect(head.ContentLength).toBe(row.size);
      expect(head.Metadata?.sha256).toBe(row.sha256);
      const copy = await archive.db.selectFrom('archive_copies').selectAll().innerJoin('files', 'files.id', 'archive_copies.file_id').where('files.name', '=', big!).executeTakeFirstOrThrow();
      expect(copy.storage_class).toBe('DEEP_ARCHIVE');
      const manifest = await client.send(new GetObjectCommand({ Bucket: s3.bucket, Key: `deep/${result!.manifestKey}` }));
      const lines = (await manifest.Body!.transformToString()).trim().split('\n').map((l) => JSON.parse(l) as { kind?: string });
      expect(lines.filter((l) => l.kind === undefined)).toHaveLength(4);
    });

    it('restores a cold copy only after the restore was requested and is ready, verified before it replaces the hot copy', async () => {
      const { t, archive, restorer } = await setUp('deep', 'DEEP_ARCHIVE');
      const [name] = await ingestAttitudeFiles(t.sdc, path.join(t.dataDir, 'in'), 1, 5000);
      await archive.backup('cold');
      const file = await archive.db.selectFrom('files').selectAll().where('name', '=', name!).executeTakeFirstOrThrow();
      const hotPath = path.join(t.dataDir, 'store', file.store_key);
      const original = await readFile(hotPath);
      await overwriteReadOnly(hotPath, Buffer.alloc(5000));

      expect(await archive.restores.restore(file, archive.targets, 'Bulk')).toEqual({ status: 'requested', target: 'cold' });
      expect(restorer.requests).toEqual([{ location: file.store_key, tier: 'Bulk' }]);
      expect(await archive.restores.restore(file, archive.targets)).toEqual({ status: 'in-progress', target: 'cold' });
      const pending = await archive.db.selectFrom('archive_restores').selectAll().executeTakeFirstOrThrow();
      expect(pending.state).toBe('requested');

      restorer.finish();
      expect(await archive.restores.restore(file, archive.targets)).toEqual({ status: 'restored', target: 'cold' });
      expect(await readFile(hotPath)).toEqual(original);
      const done = await archive.db.selectFrom('archive_restores').selectAll().executeTakeFirstOrThrow();
      expect(done.state).toBe('completed');
    });

    it('refuses a corrupted cold copy and leaves the hot copy untouched', async () => {
      const { t, archive } = await setUp('ia', 'STANDARD_IA');
      const [name] = await ingestAttitudeFiles(t.sdc, path.join(t.dataDir, 'in'), 1, 5000);
      await archive.backup('cold');
      const file = await archive.db.selectFrom('files').selectAll().where('name', '=', name!).executeTakeFirstOrThrow();
      await client.send(new PutObjectCommand({ Bucket: s3.bucket, Key: `ia/${file.store_key}`, Body: Buffer.alloc(5000, 1), StorageClass: 'STANDARD_IA' }));
      const hotPath = path.join(t.dataDir, 'store', file.store_key);
      const hot = await readFile(hotPath);

      await expect(archive.restores.restore(file, archive.targets)).rejects.toBeInstanceOf(CopyVerificationError);
      expect(await readFile(hotPath)).toEqual(hot);
      const failed = await archive.db.selectFrom('archive_restores').selectAll().executeTakeFirstOrThrow();
      expect(failed.state).toBe('failed');
      expect(failed.error).toContain('sha256');
    });
  });
}
