import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ContainerJobFileError, translatePaths, writeContainerJobFile } from './container-job-file.js';
import type { RunRequest } from './processor-runtime.js';

const folders = [['/w/job-1/inputs', '/sdc/inputs'], ['/w/job-1/outputs', '/sdc/outputs']] as const;

describe('translatePaths', () => {
  it('rewrites the folders and paths under them, at any depth, and leaves the rest alone', () => {
    const job = { outputDir: '/w/job-1/outputs', inputs: [{ path: '/w/job-1/inputs/a/b.cdf', name: 'b.cdf', size: 3 }], other: '/w/job-1/inputs-old/x', flag: true, none: null };
    expect(translatePaths(job, folders)).toEqual({ outputDir: '/sdc/outputs', inputs: [{ path: '/sdc/inputs/a/b.cdf', name: 'b.cdf', size: 3 }], other: '/w/job-1/inputs-old/x', flag: true, none: null });
  });
});

describe('writeContainerJobFile', () => {
  async function request(content: string): Promise<RunRequest> {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'sdc-jobfile-'));
    await writeFile(path.join(dir, 'job.json'), content);
    return { jobId: 1, bundle: { folder: dir, manifest: { name: 'p', version: '1.0.0', instrument: 'x', description: '', produces: [{ level: 'l1' }], command: ['true'], limits: {} } }, jobFile: path.join(dir, 'job.json'), inputDir: path.join(dir, 'inputs'), outputDir: path.join(dir, 'outputs'), timeoutMs: 1000, env: {} };
  }

  it('writes job.container.json beside the job file with container paths', async () => {
    const req = await request('{}');
    await writeFile(req.jobFile, JSON.stringify({ outputDir: req.outputDir, inputs: [{ path: path.join(req.inputDir, 'a.cdf') }] }));
    const written = await writeContainerJobFile(req);
    expect(written).toBe(path.join(path.dirname(req.jobFile), 'job.container.json'));
    expect(JSON.parse(await readFile(written, 'utf8'))).toEqual({ outputDir: '/sdc/outputs', inputs: [{ path: '/sdc/inputs/a.cdf' }] });
  });

  it('raises a typed error naming the file when the job file is not JSON', async () => {
    const req = await request('{ not json');
    await expect(writeContainerJobFile(req)).rejects.toThrow(ContainerJobFileError);
    await expect(writeContainerJobFile(req)).rejects.toThrow(req.jobFile);
  });
});
