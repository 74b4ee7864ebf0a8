import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { KubernetesRuntimeError } from './kubernetes-job-manifest.js';
import { KubernetesRuntime } from './kubernetes-runtime.js';
import type { RunRequest } from './processor-runtime.js';
import { runtimeConfigSchema, type KubernetesRuntimeConfig } from './runtime-config.js';

const FAKE_KUBECTL = fileURLToPath(new URL('../../test/processors/fake-kubectl.mjs', import.meta.url));

/**
 * No Kubernetes cluster runs on the test machines, so test/processors/fake-kubectl.mjs stands in
 * for kubectl: it records its argv and plays the Job controller on this host (sub-path mounts
 * as path rewrites, activeDeadlineSeconds, pod status and logs).
 */
async function setup(command: string[], timeoutMs = 20_000, image = 'team/fgm:5') {
  const root = await mkdtemp(path.join(os.tmpdir(), 'sdc-k8s-'));
  const volume = path.join(root, 'volume');
  const dir = path.join(volume, 'job-3-attempt-1');
  await mkdir(path.join(dir, 'inputs'), { recursive: true });
  await mkdir(path.join(dir, 'outputs'));
  await mkdir(path.join(root, 'image'));
  await writeFile(path.join(dir, 'inputs', 'mms1_fgm_l1b.cdf'), 'data');
  await writeFile(path.join(dir, 'job.json'), JSON.stringify({ jobId: 3, inputs: [{ path: path.join(dir, 'inputs', 'mms1_fgm_l1b.cdf') }], outputDir: path.join(dir, 'outputs') }));
  process.env.FAKE_KUBECTL_RECORD = path.join(root, 'calls.jsonl');
  process.env.FAKE_KUBECTL_STATE = path.join(root, 'state');
  process.env.FAKE_KUBECTL_IMAGES = JSON.stringify({ 'team/fgm:5': path.join(root, 'image') });
  process.env.FAKE_KUBECTL_VOLUMES = JSON.stringify({ 'sdc-work': volume });
  process.env.FAKE_KUBECTL_PULL_FAILS = 'team/private:1';
  const config = runtimeConfigSchema.parse({ kind: 'kubernetes', binary: FAKE_KUBECTL, namespace: 'sdc', context: 'lab', volume: { claimName: 'sdc-work' }, pollMs: 100 }) as KubernetesRuntimeConfig;
  const runtime = new KubernetesRuntime(config, { volumeRoot: volume, user: { uid: 1500, gid: 1500 } });
  const req: RunRequest = {
    jobId: 3,
    bundle: { folder: root, manifest: { name: 'fgm-l2', version: '5.0.0', instrument: 'fgm', description: '', produces: [{ level: 'l2' }], command, image, limits: {} } },
    jobFile: path.join(dir, 'job.json'),
    inputDir: path.join(dir, 'inputs'),
    outputDir: path.join(dir, 'outputs'),
    timeoutMs,
    env: { SDC_JOB_ID: '3', SDC_TIER: 'staging' },
  };
  const calls = async () => (await readFile(path.join(root, 'calls.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as string[]);
  return { runtime, req, dir, calls };
}

describe('KubernetesRuntime with a stand-in kubectl', () => {
  it('applies the Job, waits for it, returns its log and exit code, keeps its outputs and deletes it', async () => {
    const script = 'cat "$SDC_JOB_FILE"; ls "$SDC_INPUT_DIR"; echo "tier $SDC_TIER"; echo level2 > "$SDC_OUTPUT_DIR/l2.txt"';
    const { runtime, req, dir, calls } = await setup(['sh', '-c', script]);
    const result = await runtime.run(req);
    expect(result).toMatchObject({ exitCode: 0, timedOut: false, signal: null });
    expect(result.log).toContain('"path": "/sdc/inputs/mms1_fgm_l1b.cdf"');
    expect(result.log).toContain('mms1_fgm_l1b.cdf\ntier staging');
    expect(await readFile(path.join(dir, 'outputs', 'l2.txt'), 'utf8')).toBe('level2\n');
    const recorded = await calls();
    expect(recorded[0]).toEqual(['--namespace', 'sdc', '--context', 'lab', 'apply', '-f', '-']);
    const name = recorded.find((c) => c.includes('logs'))?.at(-2)?.replace('job/', '');
    expect(name).toMatch(/^sdc-job-3-[0-9a-f]{6}$/);
    expect(recorded.at(-1)).toEqual(['--namespace', 'sdc', '--context', 'lab', 'delete', 'job', name, '--ignore-not-found', '--cascade=background', '--wait=false']);
  });

  it('reports the exit code of a failing processor with the reason in the log', async () => {
    const { runtime, req } = await setup(['sh', '-c', 'echo "bad calibration" >&2; exit 4']);
    const result = await runtime.run(req);
    expect(result.exitCode).toBe(4);
    expect(result.timedOut).toBe(false);
    expect(result.log).toContain('bad calibration');
    expect(result.log).toMatch(/Job sdc-job-3-\w+ failed: BackoffLimitExceeded \(Error\)/);
  });

  it('reports a Job stopped at its deadline as timed out', async () => {
    const { runtime, req, calls } = await setup(['sh', '-c', 'echo started; sleep 30'], 1_000);
    const result = await runtime.run(req);
    expect(result.timedOut).toBe(true);
    expect(result.exitCode).toBeNull();
    expect(result.log).toContain('started');
    expect(result.log).toMatch(/time limit of 1000 ms reached; Kubernetes stopped Job/);
    expect((await calls()).at(-1)).toContain('delete');
  });

  it('fails at once with a typed error when the image cannot be pulled, and still deletes the Job', async () => {
    const { runtime, req, calls } = await setup(['true'], 60_000, 'team/private:1');
    const started = Date.now();
    await expect(runtime.run(req)).rejects.toThrow(KubernetesRuntimeError);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect((await calls()).at(-1)).toContain('delete');
  });

  it('raises a typed error with kubectl\'s message when the Job cannot be created', async () => {
    const { req } = await setup(['true']);
    const config = runtimeConfigSchema.parse({ kind: 'kubernetes', binary: '/no/such/kubectl', volume: { claimName: 'sdc-work' } }) as KubernetesRuntimeConfig;
    const runtime = new KubernetesRuntime(config, { volumeRoot: path.dirname(path.dirname(req.jobFile)) });
    await expect(runtime.run(req)).rejects.toThrow(/kubectl could not create Job sdc-job-3-\w+: cannot run '\/no\/such\/kubectl'/);
  });
});
