/**
 * `sdc provenance`, `sdc verify` and `sdc keys` as a user runs them (the command line's `main`,
 * in this process: output and exit code as a shell would see them), against a PostgreSQL
 * catalog shared with a test SDC (the embedded catalog cannot be opened twice).
 */
import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../../src/cli/main.js';
import { backends } from '../../support/backends.js';
import { startTestSdc, type TestSdc } from '../../support/test-sdc.js';

const postgres = backends().find((b) => b.name.startsWith('PostgreSQL'))!;
const NAME = 'MMS1_DEFATT_2015310_2015310.V00';

describe.skipIf(!postgres.available)('sdc provenance, verify and keys', () => {
  let t: TestSdc;
  let config: string;
  let original: string;

  /** Runs `sdc ...` with the test's configuration; resolves with the exit code and output. */
  async function sdc(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    const out: string[] = [];
    const err: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((line: string) => void out.push(`${line}\n`));
    const error = vi.spyOn(console, 'error').mockImplementation((line: string) => void err.push(`${line}\n`));
    process.env.SDC_CONFIG = config;
    try {
      await main(['node', 'sdc', ...args]);
      return { code: Number(process.exitCode ?? 0), stdout: out.join(''), stderr: err.join('') };
    } finally {
      process.exitCode = undefined;
      delete process.env.SDC_CONFIG;
      log.mockRestore();
      error.mockRestore();
    }
  }

  beforeAll(async () => {
    t = await startTestSdc(postgres);
    const catalog = t.config.catalog as { url: string };
    config = path.join(t.dataDir, 'sdc.config.yaml');
    await writeFile(config, `dataDir: ${t.dataDir}\ncatalog: { kind: postgres, url: '${catalog.url}' }\nbus: { kind: memory }\n`);
    original = path.join(t.dataDir, NAME);
    await writeFile(original, 'attitude of day 310');
    await t.sdc.ingest.ingest({ path: original, name: NAME, source: 'upload', keepSource: true });
    await t.sdc.traceSigner.drain();
  });
  afterAll(async () => t?.close());

  it('when a genuine copy is verified, then it says so with its version and exits 0; a copy with one byte changed exits 1', async () => {
    const genuine = await sdc('verify', original);
    expect(genuine.code).toBe(0);
    expect(genuine.stdout.split('\n')[0]).toBe(`GENUINE: a genuine copy of ${NAME}`);
    expect(genuine.stdout).toMatch(new RegExp(`${NAME}  version 00  production`));
    expect(genuine.stdout).toMatch(/ingest +ingest\/upload +key [0-9a-f]{16} +signature valid/);
    const tampered = path.join(t.dataDir, 'tampered');
    await writeFile(tampered, 'attitude of day 311');
    const refused = await sdc('verify', tampered);
    expect(refused.code).toBe(1);
    expect(refused.stdout.split('\n')[0]).toMatch(/^NOT GENUINE: no trace of these bytes/);
    const nothing = await sdc('verify');
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toContain('sdc: give a file to verify, or --sha256 <digest>');
  });

  it('when the key is rotated, then the list shows the retired key and the old traces still verify', async () => {
    const before = t.sdc.traceSigner.keyId;
    const rotated = await sdc('keys', 'rotate');
    expect(rotated.code).toBe(0);
    expect(rotated.stdout).toMatch(new RegExp(`^new trace-signing key [0-9a-f]{16} \\(replaces ${before}, retired\\)`));
    const list = await sdc('keys', 'list');
    expect(list.stdout).toMatch(new RegExp(`${before}\\t\\S+\\tretired `));
    expect(list.stdout).toMatch(/\tcurrent\t\(this process\)/);
    const sha256 = createHash('sha256').update('attitude of day 310').digest('hex');
    const again = await sdc('verify', '--sha256', sha256, '--json');
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ genuine: true, files: [{ name: NAME, traces: [{ keyId: before, signature: 'valid' }] }] });
  });

  it('when the provenance of a file is asked, then it prints the tree, or PROV-N, and refuses an unknown format', async () => {
    const tree = await sdc('provenance', NAME);
    expect(tree.code).toBe(0);
    expect(tree.stdout).toMatch(new RegExp(`^${NAME}  \\[ingested from upload \\S+, sha256 [0-9a-f]{12}\\]`));
    const provn = await sdc('provenance', NAME, '--format', 'prov-n');
    expect(provn.stdout.split('\n')[0]).toBe('document');
    expect(provn.stdout).toContain(`wasGeneratedBy(file:${NAME}, ingest:`);
    const bad = await sdc('provenance', NAME, '--format', 'xml');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("sdc: --format must be one of tree, prov-json, prov-n, got 'xml'");
    const unknown = await sdc('provenance', 'mms1_fgm_srvy_l2_20991231_v1.0.0.cdf');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("sdc: no file named 'mms1_fgm_srvy_l2_20991231_v1.0.0.cdf' in the catalog");
  });
});
