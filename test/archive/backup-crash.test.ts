/**
 * A backup killed with SIGKILL part-way resumes: the next run sends only the files not yet
 * recorded, every file ends with exactly one recorded copy, and the killed run's manifest is
 * written by the next run (which closes it as interrupted). Both catalog backends.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { openSdc, type Sdc } from '../../src/app/open-sdc.js';
import type { SdcConfigInput } from '../../src/config/config-schema.js';
import { loadConfig } from '../../src/config/load-config.js';
import { backends } from '../support/backends.js';
import { quietLogger } from '../support/test-sdc.js';
import { ingestAttitudeFiles } from './archive-test-files.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const FILES = 60;
const KILL_AFTER = 8;

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`backup killed mid-run on ${backend.name}`, () => {
    let sdc: Sdc | undefined;
    let cleanUp: (() => Promise<void>) | undefined;
    afterEach(async () => {
      await sdc?.stop();
      await cleanUp?.();
    });

    it('resumes without re-sending what was recorded, and every file is backed up once', async () => {
      const resources = await backend.provision();
      const dataDir = await mkdtemp(path.join(os.tmpdir(), 'sdc-backup-crash-'));
      cleanUp = async () => {
        await resources.release();
        await rm(dataDir, { recursive: true, force: true });
      };
      // The embedded catalog must outlive the process: a folder, not memory.
      const catalog = resources.config.catalog?.kind === 'pglite' ? { kind: 'pglite' as const, dataDir: path.join(dataDir, 'catalog') } : resources.config.catalog;
      const config: Partial<SdcConfigInput> = { ...resources.config, catalog, dataDir, archive: { concurrency: 1 } };
      const open = async () => openSdc(await loadConfig({ env: {}, overrides: config }), { logger: quietLogger() });
      sdc = await open();
      await ingestAttitudeFiles(sdc, path.join(dataDir, 'in'), FILES, 64 * 1024);
      await sdc.stop();
      sdc = undefined;

      await runChildUntil(JSON.stringify(config), KILL_AFTER);

      sdc = await open();
      const archive = await sdc.openArchive({ staleRunMs: 0 });
      const killedCopies = await archive.db.selectFrom('archive_copies').select('file_id').where('run_id', '=', 1).execute();
      expect(killedCopies.length).toBeGreaterThanOrEqual(KILL_AFTER);
      expect(killedCopies.length).toBeLessThan(FILES);

      const [resumed] = await archive.backup('local');
      expect(resumed!.recoveredRuns).toEqual([1]);
      expect(resumed!.files).toBe(FILES - killedCopies.length);
      const perFile = await archive.db.selectFrom('archive_copies').select(['file_id', 'run_id']).execute();
      expect(perFile).toHaveLength(FILES);
      expect(new Set(perFile.map((c) => c.file_id)).size).toBe(FILES);
      const killedRun = await archive.db.selectFrom('archive_runs').selectAll().where('id', '=', 1).executeTakeFirstOrThrow();
      expect(killedRun.state).toBe('interrupted');
      const manifest = await readFile(path.join(dataDir, 'backup', killedRun.manifest_key!), 'utf8');
      expect(manifest.trim().split('\n')).toHaveLength(killedCopies.length);
      const audit = await archive.audit(['local']);
      expect(audit[0]!.findings).toEqual([]);
    }, 120_000);
  });
}

/** Runs the child backup and kills it with SIGKILL once it has reported `count` copies. */
function runChildUntil(configJson: string, count: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'backup-crash-child.ts'), configJson], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let out = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.split('\n').filter((l) => l.startsWith('copied')).length >= count) child.kill('SIGKILL');
    });
    child.once('exit', (code, signal) => (signal === 'SIGKILL' ? resolve() : reject(new Error(`the child ended before it was killed (code ${code}): ${stderr}`))));
  });
}
