import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeCdf } from '../../../src/cdf/writer/index.js';
import { COMPLIANT_NAME, compliantContent } from '../../cdf/istp/istp-content.js';

const run = promisify(execFile);
const dir = mkdtempSync(path.join(tmpdir(), 'cdf-check-cli-'));
const good = path.join(dir, `${COMPLIANT_NAME}.cdf`);
const bad = path.join(dir, 'renamed.cdf');
const notCdf = path.join(dir, 'not.cdf');

/** Runs `sdc cdf check ...` from the sources; resolves with the exit code and output. */
async function sdc(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const script = "const { main } = await import('./src/cli/main.ts'); await main(['node', 'sdc', ...process.argv.slice(1)]);";
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, ...args]);
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

beforeAll(async () => {
  await writeCdf(good, compliantContent());
  await writeCdf(bad, compliantContent());
  writeFileSync(notCdf, 'hello');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('sdc cdf check', () => {
  it('exits 0 and says the file passes when there is no error', async () => {
    const result = await sdc('cdf', 'check', good);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('passes (0 error(s), 0 warning(s))');
  });

  it('prints the findings as JSON and exits 1 when there are errors', async () => {
    const result = await sdc('cdf', 'check', bad, '--json');
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as { passed: boolean; findings: Array<{ rule: string }> };
    expect(report.passed).toBe(false);
    expect(report.findings.map((f) => f.rule)).toEqual(['logical-file-id']);
  });

  it('exits 2 with the reader error for a file that is not a CDF', async () => {
    const result = await sdc('cdf', 'check', notCdf);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('not.cdf');
  });
});
