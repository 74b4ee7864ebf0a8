/**
 * The archive's operator surface, embedded backend, as a user's shell runs it: `sdc backup`
 * (every file once, then nothing; bounded by --concurrency), `sdc restore --system` (bundles
 * and mission configuration into a folder) and the nightly schedule `sdc up` starts (node-cron,
 * here every second), each opening the SDC from a configuration file.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSdc } from '../../src/app/open-sdc.js';
import { loadConfig } from '../../src/config/load-config.js';
import { runCli } from '../support/run-cli.js';
import { quietLogger } from '../support/test-sdc.js';
import { ingestAttitudeFiles } from './archive-test-files.js';

describe('archive commands and schedule on the embedded default', () => {
  let dir: string;
  let configFile: string;

  const sdc = async (...args: string[]) => runCli(configFile, args);

  const open = async (overrides: Record<string, unknown> = {}) => openSdc(await loadConfig({ file: configFile, env: {}, overrides }), { logger: quietLogger() });

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'sdc-archive-cli-'));
    configFile = path.join(dir, 'sdc.config.yaml');
    await writeFile(configFile, JSON.stringify({ dataDir: dir, catalog: { kind: 'pglite', dataDir: path.join(dir, 'catalog') }, log: { level: 'error' }, ingest: { stableMs: 0 } }));
    const running = await open();
    try {
      await ingestAttitudeFiles(running, path.join(dir, 'in'), 5);
    } finally {
      await running.stop();
    }
  }, 120_000);
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('sdc backup copies every file once with bounded concurrency, then nothing; a bad --concurrency is refused', async () => {
    const first = await sdc('backup', '--concurrency', '2');
    expect(first.code).toBe(0);
    expect(first.out).toMatch(/^local: 5 files, 0\.0 MB, \d+ bundle and configuration files backed up, 0 failed; manifest _sdc-manifests\/run-00000001-/);
    const again = await sdc('backup');
    expect(again.out).toMatch(/^local: 0 files, 0\.0 MB, 0 bundle and configuration files backed up, 0 failed/);
    const refused = await sdc('backup', '--concurrency', '0');
    expect(refused.code).toBe(2);
    expect(refused.err).toMatch(/archive\.concurrency/);
    expect((await sdc('backup', '--target', 'nowhere')).err).toBe("sdc: no backup target named 'nowhere' (configured: local)");
  }, 120_000);

  it('sdc restore --system puts the bundles and the mission configuration into a folder, and needs --into', async () => {
    const into = path.join(dir, 'restored-system');
    const restored = await sdc('restore', '--system', '--into', into);
    expect(restored.code).toBe(0);
    expect(restored.out).toMatch(/^\d+ restored into .*restored-system, 0 waiting for a cold restore \(run again later\), 0 failed$/);
    expect(await readFile(path.join(into, 'mission', 'mission.yaml'), 'utf8')).toContain('id:');
    expect(await sdc('restore', '--bundle', 'fgm-l2@1.0.0')).toMatchObject({ code: 2, err: 'sdc: --system and --bundle need --into <dir>: system items are never restored over the live mission folder' });
  }, 120_000);

  it('the backup schedule runs by node-cron and records its runs', async () => {
    const running = await open({ archive: { schedule: { backup: '* * * * * *' } } });
    try {
      await ingestAttitudeFiles(running, path.join(dir, 'in2'), 2, 2048, 5);
      const archive = await running.openArchive();
      const before = await archive.db.selectFrom('archive_runs').select('id').execute();
      archive.startSchedule();
      const deadline = Date.now() + 20_000;
      let copies = 0;
      while (Date.now() < deadline && copies < 7) {
        await new Promise((resolve) => setTimeout(resolve, 250));
        copies = (await archive.db.selectFrom('archive_copies').select('file_id').execute()).length;
      }
      expect(copies).toBe(7);
      const runs = await archive.db.selectFrom('archive_runs').selectAll().where('id', 'not in', before.map((r) => r.id)).execute();
      expect(runs.length).toBeGreaterThan(0);
    } finally {
      await running.stop();
    }
  }, 120_000);
});
