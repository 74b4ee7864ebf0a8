/**
 * A Glacier vault multipart upload killed part-way resumes: a child process backing up a 7-part
 * file to the test Glacier server (test/support/glacier-server.ts) is killed with SIGKILL while
 * the server holds 3 parts; the next run sends only the parts Glacier does not hold (no new
 * multipart upload), completes the archive with the right tree hash and forgets the upload.
 * Both catalog backends.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { openSdc, type Sdc } from '../../src/app/open-sdc.js';
import { treeHash } from '../../src/archive/targets/glacier/tree-hash.js';
import type { SdcConfigInput } from '../../src/config/config-schema.js';
import { loadConfig } from '../../src/config/load-config.js';
import { backends } from '../support/backends.js';
import { startGlacierServer, type GlacierTestServer } from '../support/glacier-server.js';
import { quietLogger } from '../support/test-sdc.js';
import { ingestAttitudeFiles } from './archive-test-files.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const MiB = 1024 * 1024;
const PARTS = 7;
const HELD_AT_KILL = 3;

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`Glacier multipart upload killed mid-way on ${backend.name}`, () => {
    let sdc: Sdc | undefined;
    let glacier: GlacierTestServer | undefined;
    let cleanUp: (() => Promise<void>) | undefined;
    afterEach(async () => {
      await sdc?.stop();
      await glacier?.stop();
      await cleanUp?.();
    });

    it('resumes the upload, sending only the parts Glacier does not hold', async () => {
      glacier = await startGlacierServer();
      const resources = await backend.provision();
      const dataDir = await mkdtemp(path.join(os.tmpdir(), 'sdc-glacier-resume-'));
      cleanUp = async () => {
        await resources.release();
        await rm(dataDir, { recursive: true, force: true });
      };
      const catalog = resources.config.catalog?.kind === 'pglite' ? { kind: 'pglite' as const, dataDir: path.join(dataDir, 'catalog') } : resources.config.catalog;
      const vault = { name: 'vault', kind: 'glacier' as const, vault: 'resume', ...glacier.targetConfig, partSizeBytes: MiB };
      const config: Partial<SdcConfigInput> = { ...resources.config, catalog, dataDir, archive: { concurrency: 1, targets: [vault] } };
      const open = async () => openSdc(await loadConfig({ env: {}, overrides: config }), { logger: quietLogger() });
      sdc = await open();
      const [name] = await ingestAttitudeFiles(sdc, path.join(dataDir, 'in'), 1, (PARTS - 1) * MiB + 4321);
      await sdc.stop();
      sdc = undefined;

      glacier.stallPartsAfter = HELD_AT_KILL;
      await runChildUntilStalled(JSON.stringify(config), glacier);
      glacier.stallPartsAfter = undefined;
      const [held] = [...glacier.uploads.values()];
      expect(held!.parts.size).toBe(HELD_AT_KILL);
      const partsSent = () => glacier!.requests.filter((r) => /^PUT .*\/multipart-uploads\/[^/]+$/.test(r)).length;
      const initiated = () => glacier!.requests.filter((r) => /^POST .*\/multipart-uploads$/.test(r)).length;
      const [sentBefore, initiatedBefore] = [partsSent(), initiated()];

      sdc = await open();
      const archive = await sdc.openArchive({ staleRunMs: 0 });
      expect(await archive.db.selectFrom('glacier_uploads').select('upload_id').execute()).toHaveLength(1);
      const [result] = await archive.backup('vault');
      expect(result!.failed).toEqual([]);
      expect(result!.files).toBe(1);
      expect(initiated() - initiatedBefore).toBe(0);
      expect(partsSent() - sentBefore).toBe(PARTS - HELD_AT_KILL);
      expect(glacier.requests.some((r) => r.startsWith('GET ') && r.includes('/multipart-uploads/'))).toBe(true);

      const file = await archive.db.selectFrom('files').select(['id', 'sha256']).where('name', '=', name!).executeTakeFirstOrThrow();
      const copy = await archive.db.selectFrom('archive_copies').select('location').where('file_id', '=', file.id).executeTakeFirstOrThrow();
      const stored = glacier.archives.get(copy.location)!;
      expect(createHash('sha256').update(stored.bytes).digest('hex')).toBe(file.sha256);
      const recorded = await archive.db.selectFrom('glacier_archives').select('tree_hash').where('archive_id', '=', copy.location).executeTakeFirstOrThrow();
      expect(recorded.tree_hash).toBe(treeHash(stored.bytes));
      expect(await archive.db.selectFrom('glacier_uploads').select('upload_id').execute()).toEqual([]);
      expect(await archive.db.selectFrom('glacier_upload_parts').select('upload_id').execute()).toEqual([]);
      expect(glacier.uploads.size).toBe(0);
    }, 120_000);
  });
}

/** Runs the child backup to the vault and kills it with SIGKILL once the server left a part unanswered. */
function runChildUntilStalled(configJson: string, glacier: GlacierTestServer): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'backup-crash-child.ts'), configJson, 'vault'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const poll = setInterval(() => {
      if (glacier.stalledParts > 0) child.kill('SIGKILL');
    }, 20);
    child.once('exit', (code, signal) => {
      clearInterval(poll);
      if (signal === 'SIGKILL') resolve();
      else reject(new Error(`the child ended before it was killed (code ${code}): ${stderr}`));
    });
  });
}
