import { mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ProcessRuntime } from './process-runtime.js';
import type { RunRequest } from './processor-runtime.js';

async function request(command: string[], timeoutMs = 10_000): Promise<RunRequest> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'sdc-runtime-'));
  return {
    jobId: 1,
    bundle: { folder: dir, manifest: { name: 'p', version: '1.0.0', instrument: 'x', description: '', produces: [{ level: 'l1' }], command, limits: {} } },
    jobFile: path.join(dir, 'job.json'),
    inputDir: dir,
    outputDir: dir,
    timeoutMs,
    env: { SDC_JOB_ID: '1' },
  };
}

/** Whether a process still runs (a killed one may stay a zombie until it is reaped). */
async function running(pid: number): Promise<boolean> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
  return stat !== undefined && !/^\d+ \(.*\) [ZX]/.test(stat);
}

describe('ProcessRuntime', () => {
  it('runs the command in the bundle folder with the job environment and captures its output', async () => {
    const result = await new ProcessRuntime().run(await request(['sh', '-c', 'echo "job $SDC_JOB_ID in $(pwd)"; echo oops >&2; exit 3']));
    expect(result.exitCode).toBe(3);
    expect(result.timedOut).toBe(false);
    expect(result.log).toMatch(/job 1 in \/.*sdc-runtime-/);
    expect(result.log).toContain('oops');
  });

  it('stops a processor that runs past its limit, with everything it started', async () => {
    const started = Date.now();
    const result = await new ProcessRuntime().run(await request(['sh', '-c', 'sleep 30 & sleep 30'], 300));
    expect(result.timedOut).toBe(true);
    expect(result.exitCode).toBeNull();
    expect(result.signal).toBe('SIGTERM');
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(result.log).toMatch(/time limit of 300 ms reached/);
  });

  it('stops what a processor left running in the background once it exits', async () => {
    const req = await request(['sh', '-c', 'sleep 30 > /dev/null 2>&1 & echo $! > straggler.pid']);
    const result = await new ProcessRuntime().run(req);
    expect(result.exitCode).toBe(0);
    const pid = Number(await readFile(path.join(req.bundle.folder, 'straggler.pid'), 'utf8'));
    for (let i = 0; i < 100 && (await running(pid)); i++) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await running(pid)).toBe(false);
  });

  it('reports a command that cannot start instead of throwing', async () => {
    const result = await new ProcessRuntime().run(await request(['/no/such/program']));
    expect(result.exitCode).not.toBe(0);
    expect(result.log).toMatch(/cannot start '\/no\/such\/program'/);
  });
});
