/**
 * The restore tier of cold copies: the target's configured `restoreTier` unless `sdc restore
 * --tier` names one. S3: the RestoreObject requests an S3 client sends through a recording proxy
 * in front of s3rver (test/support/s3-restore-recorder.ts: no emulator implements RestoreObject)
 * carry the tier, both catalog backends. Glacier vault: the retrieval jobs the test Glacier
 * server receives carry it, through the command line on the embedded default.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSdc } from '../../src/app/open-sdc.js';
import { loadConfig } from '../../src/config/load-config.js';
import { backends } from '../support/backends.js';
import { startGlacierServer, type GlacierTestServer } from '../support/glacier-server.js';
import { runCli } from '../support/run-cli.js';
import { startS3Server, type S3TestServer } from '../support/s3-server.js';
import { startRestoreRecorder, type RestoreRecorder } from '../support/s3-restore-recorder.js';
import { quietLogger, startTestSdc } from '../support/test-sdc.js';
import { ingestAttitudeFiles } from './archive-test-files.js';

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`S3 restore tier on ${backend.name}`, () => {
    let s3: S3TestServer;
    let recorder: RestoreRecorder;
    beforeAll(async () => {
      s3 = await startS3Server({ bucket: 'sdc-tier' });
      recorder = await startRestoreRecorder(s3.endpoint);
    });
    afterAll(async () => {
      await recorder?.stop();
      await s3?.stop();
    });

    it('sends RestoreObject with the configured tier, or the one the restore names', async () => {
      const prefix = backend.name.startsWith('embedded') ? 'embedded/' : 'postgres/';
      const target = { name: 'cold', kind: 's3' as const, bucket: s3.bucket, prefix, endpoint: recorder.endpoint, forcePathStyle: true, accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER', checksums: 'WHEN_REQUIRED' as const, storageClass: 'DEEP_ARCHIVE' as const, verify: 'read-back' as const, restoreTier: 'Expedited' as const, restoreDays: 2 };
      const t = await startTestSdc(backend, { archive: { targets: [target] } });
      try {
        const [configured, overridden] = await ingestAttitudeFiles(t.sdc, path.join(t.dataDir, 'in'), 2);
        const archive = await t.sdc.openArchive();
        expect((await archive.backup('cold'))[0]!.failed).toEqual([]);
        const fileNamed = (name: string) => archive.db.selectFrom('files').selectAll().where('name', '=', name).executeTakeFirstOrThrow();
        const sent = recorder.restores.length;
        expect(await archive.restores.restore(await fileNamed(configured!), archive.targets)).toEqual({ status: 'requested', target: 'cold' });
        expect(await archive.restores.restore(await fileNamed(overridden!), archive.targets, 'Bulk')).toEqual({ status: 'requested', target: 'cold' });
        const requests = recorder.restores.slice(sent);
        expect(requests.map((r) => path.basename(r.path))).toEqual([configured, overridden]);
        expect(requests.every((r) => r.path.startsWith(`/${s3.bucket}/${prefix}`))).toBe(true);
        expect(requests[0]!.body).toMatch(/<Days>2<\/Days>.*<Tier>Expedited<\/Tier>/s);
        expect(requests[1]!.body).toMatch(/<Tier>Bulk<\/Tier>/);
        const tracked = await archive.db.selectFrom('archive_restores').select(['tier']).orderBy('requested_at').execute();
        expect(tracked.map((r) => r.tier).sort()).toEqual(['Bulk', 'Expedited']);
      } finally {
        await t.close();
      }
    }, 120_000);
  });
}

describe('Glacier vault restore tier through sdc restore, embedded default', () => {
  let glacier: GlacierTestServer;
  let dir: string;
  let configFile: string;
  let names: string[];
  beforeAll(async () => {
    glacier = await startGlacierServer();
    dir = await mkdtemp(path.join(os.tmpdir(), 'sdc-restore-tier-'));
    configFile = path.join(dir, 'sdc.config.yaml');
    const vault = { name: 'vault', kind: 'glacier', vault: 'tiers', ...glacier.targetConfig, partSizeBytes: 1024 * 1024, restoreTier: 'Expedited' };
    await writeFile(configFile, JSON.stringify({ dataDir: dir, catalog: { kind: 'pglite', dataDir: path.join(dir, 'catalog') }, log: { level: 'error' }, ingest: { stableMs: 0 }, archive: { targets: [vault] } }));
    const sdc = await openSdc(await loadConfig({ file: configFile, env: {} }), { logger: quietLogger() });
    try {
      names = await ingestAttitudeFiles(sdc, path.join(dir, 'in'), 2);
    } finally {
      await sdc.stop();
    }
  }, 120_000);
  afterAll(async () => {
    await glacier?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('initiates retrieval jobs with the configured tier, or the one --tier names', async () => {
    expect((await runCli(configFile, ['backup'])).code).toBe(0);
    const jobTier = (name: string) => [...glacier.jobs.values()].filter((j) => j.action === 'ArchiveRetrieval' && JSON.parse(glacier.archives.get(j.archiveId!)!.description).sdc.endsWith(name)).map((j) => j.tier);

    const configured = await runCli(configFile, ['restore', names[0]!]);
    expect(configured.out).toMatch(/requested \(vault\)/);
    expect(jobTier(names[0]!)).toEqual(['Expedited']);

    const overridden = await runCli(configFile, ['restore', names[1]!, '--tier', 'Bulk']);
    expect(overridden.out).toMatch(/requested \(vault\)/);
    expect(jobTier(names[1]!)).toEqual(['Bulk']);
  }, 120_000);
});
