import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ContainerRuntime, ContainerRuntimeError, containerName, containerRunArguments, type ContainerRunPlan } from './container-runtime.js';
import type { ProcessorManifest } from './processor-manifest.js';
import type { RunRequest } from './processor-runtime.js';
import { runtimeConfigSchema, type ContainerRuntimeConfig } from './runtime-config.js';

const FAKE_ENGINE = fileURLToPath(new URL('../../test/processors/fake-container-engine.mjs', import.meta.url));

function manifest(overrides: Partial<ProcessorManifest> = {}): ProcessorManifest {
  return { name: 'mag-cal', version: '2.1.0', instrument: 'mag', description: '', produces: [{ level: 'l1b' }], command: ['python3', 'cal.py', '--fast'], image: 'ghcr.io/team/mag-cal:2.1.0', limits: {}, ...overrides };
}

function request(m: ProcessorManifest = manifest(), dir = '/srv/sdc/work/job-7-attempt-1'): RunRequest {
  return {
    jobId: 7,
    bundle: { manifest: m, folder: '/srv/sdc/bundles/mag-cal-2.1.0' },
    jobFile: `${dir}/job.json`,
    inputDir: `${dir}/inputs`,
    outputDir: `${dir}/outputs`,
    timeoutMs: 60_000,
    env: { SDC_JOB_ID: '7', SDC_TIER: 'staging' },
  };
}

const plan: ContainerRunPlan = {
  engine: 'docker',
  name: 'sdc-job-7-abc123',
  jobFile: '/srv/sdc/work/job-7-attempt-1/job.container.json',
  network: 'none',
  pull: 'missing',
  selinuxRelabel: false,
  user: { uid: 1500, gid: 1600 },
};

/** The value following each occurrence of a flag. */
function values(argv: string[], flag: string): string[] {
  return argv.flatMap((a, i) => (a === flag ? [argv[i + 1] ?? ''] : []));
}

describe('containerRunArguments', () => {
  it('runs a named, self-removing container with an init process, no network and no capabilities', () => {
    const argv = containerRunArguments(request(), plan);
    expect(argv.slice(0, 4)).toEqual(['run', '--rm', '--name', 'sdc-job-7-abc123']);
    expect(argv).toContain('--init');
    expect(values(argv, '--network')).toEqual(['none']);
    expect(values(argv, '--pull')).toEqual(['missing']);
    expect(values(argv, '--cap-drop')).toEqual(['ALL']);
    expect(values(argv, '--security-opt')).toEqual(['no-new-privileges']);
    expect(values(argv, '--label')).toEqual(['sdc.job-id=7', 'sdc.processor=mag-cal@2.1.0']);
  });

  it('mounts the inputs and the job file read-only and the outputs read-write at the contract paths', () => {
    expect(values(containerRunArguments(request(), plan), '--mount')).toEqual([
      'type=bind,source=/srv/sdc/work/job-7-attempt-1/inputs,target=/sdc/inputs,readonly',
      'type=bind,source=/srv/sdc/work/job-7-attempt-1/outputs,target=/sdc/outputs',
      'type=bind,source=/srv/sdc/work/job-7-attempt-1/job.container.json,target=/sdc/job.json,readonly',
    ]);
  });

  it('passes the request environment and the SDC_* paths as the container sees them', () => {
    expect(values(containerRunArguments(request(), plan), '--env')).toEqual([
      'SDC_INPUT_DIR=/sdc/inputs',
      'SDC_JOB_FILE=/sdc/job.json',
      'SDC_JOB_ID=7',
      'SDC_OUTPUT_DIR=/sdc/outputs',
      'SDC_TIER=staging',
    ]);
  });

  it('runs the manifest command as entrypoint and arguments of the manifest image', () => {
    const argv = containerRunArguments(request(), plan);
    expect(argv.slice(-5)).toEqual(['--entrypoint', 'python3', 'ghcr.io/team/mag-cal:2.1.0', 'cal.py', '--fast']);
    expect(argv).not.toContain('--workdir');
  });

  it('sets memory (without extra swap) and CPU limits only when the manifest gives them', () => {
    const limited = containerRunArguments(request(manifest({ limits: { memoryMb: 512, cpus: 1.5 } })), plan);
    expect(values(limited, '--memory')).toEqual(['512m']);
    expect(values(limited, '--memory-swap')).toEqual(['512m']);
    expect(values(limited, '--cpus')).toEqual(['1.5']);
    const unlimited = containerRunArguments(request(), plan);
    expect(unlimited).not.toContain('--memory');
    expect(unlimited).not.toContain('--cpus');
  });

  it('runs as the worker user with docker, and with the user namespace kept under rootless podman', () => {
    expect(values(containerRunArguments(request(), plan), '--user')).toEqual(['1500:1600']);
    const podman = containerRunArguments(request(), { ...plan, engine: 'podman' });
    expect(values(podman, '--userns')).toEqual(['keep-id']);
    expect(podman).not.toContain('--user');
    const rootPodman = containerRunArguments(request(), { ...plan, engine: 'podman', user: { uid: 0, gid: 0 } });
    expect(values(rootPodman, '--user')).toEqual(['0:0']);
    expect(rootPodman).not.toContain('--userns');
  });

  it('relabels every bind mount for SELinux when asked (podman)', () => {
    const mounts = values(containerRunArguments(request(), { ...plan, engine: 'podman', selinuxRelabel: true }), '--mount');
    expect(mounts).toHaveLength(3);
    for (const mount of mounts) expect(mount).toMatch(/,relabel=shared$/);
  });

  it('refuses an SELinux relabel with docker at configuration time', () => {
    expect(runtimeConfigSchema.safeParse({ kind: 'container', engine: 'docker', selinuxRelabel: true }).success).toBe(false);
    expect(runtimeConfigSchema.safeParse({ kind: 'container', engine: 'podman', selinuxRelabel: true }).success).toBe(true);
  });

  it('mounts the bundle read-only and works there when the manifest names no image but a bundle image is configured', () => {
    const argv = containerRunArguments(request(manifest({ image: undefined })), { ...plan, bundleImage: 'python:3.12-slim' });
    expect(values(argv, '--mount')).toContain('type=bind,source=/srv/sdc/bundles/mag-cal-2.1.0,target=/sdc/bundle,readonly');
    expect(values(argv, '--workdir')).toEqual(['/sdc/bundle']);
    expect(argv.slice(-4)).toEqual(['python3', 'python:3.12-slim', 'cal.py', '--fast']);
  });

  it('raises a typed error when there is no image to run', () => {
    expect(() => containerRunArguments(request(manifest({ image: undefined })), plan)).toThrow(ContainerRuntimeError);
    expect(() => containerRunArguments(request(manifest({ image: undefined })), plan)).toThrow(/mag-cal@2.1.0 names no image/);
  });

  it('raises a typed error for a host path the --mount syntax cannot carry', () => {
    expect(() => containerRunArguments(request(manifest(), '/srv/a,b/job-7'), plan)).toThrow(/holds a comma or a quote/);
  });

  it('derives unique container names from the job id', () => {
    expect(containerName(42)).toMatch(/^sdc-job-42-[0-9a-f]{6}$/);
    expect(containerName(42)).not.toBe(containerName(42));
  });

  const docker = spawnSync('docker', ['--version']).status === 0;
  it.skipIf(!docker)('is accepted flag by flag by the real docker CLI (which then finds no daemon)', () => {
    const argv = containerRunArguments(request(manifest({ limits: { memoryMb: 256, cpus: 0.5 } })), plan);
    const result = spawnSync('docker', argv, { env: { ...process.env, DOCKER_HOST: 'unix:///nonexistent/docker.sock' }, encoding: 'utf8', timeout: 20_000 });
    expect(result.stderr).not.toMatch(/unknown flag|invalid argument|invalid value/i);
    expect(result.stderr).toMatch(/Cannot connect to the Docker daemon/);
  });
});

/**
 * No container engine runs on the test machines, so test/processors/fake-container-engine.mjs
 * stands in for the docker CLI: it records its argv and plays the container (mounts as path
 * rewrites, only the --env variables, kill by name).
 */
describe('ContainerRuntime with a stand-in engine', () => {
  async function setup(command: string[], timeoutMs = 20_000) {
    const root = await mkdtemp(path.join(os.tmpdir(), 'sdc-container-'));
    const dir = path.join(root, 'work', 'job-9-attempt-1');
    const imageRoot = path.join(root, 'image');
    await mkdir(path.join(dir, 'inputs'), { recursive: true });
    await mkdir(path.join(dir, 'outputs'));
    await mkdir(imageRoot);
    await writeFile(path.join(dir, 'inputs', 'mms1_mag_l1a.cdf'), 'data');
    const job = { jobId: 9, inputs: [{ name: 'mms1_mag_l1a.cdf', path: path.join(dir, 'inputs', 'mms1_mag_l1a.cdf') }], outputDir: path.join(dir, 'outputs') };
    await writeFile(path.join(dir, 'job.json'), JSON.stringify(job));
    process.env.FAKE_ENGINE_RECORD = path.join(root, 'calls.jsonl');
    process.env.FAKE_ENGINE_STATE = path.join(root, 'state');
    process.env.FAKE_ENGINE_IMAGES = JSON.stringify({ 'team/mag:1': imageRoot });
    const config = runtimeConfigSchema.parse({ kind: 'container', binary: FAKE_ENGINE }) as ContainerRuntimeConfig;
    const runtime = new ContainerRuntime(config, { killGraceMs: 300 });
    const req: RunRequest = {
      jobId: 9,
      bundle: { folder: root, manifest: manifest({ image: 'team/mag:1', command }) },
      jobFile: path.join(dir, 'job.json'),
      inputDir: path.join(dir, 'inputs'),
      outputDir: path.join(dir, 'outputs'),
      timeoutMs,
      env: { SDC_JOB_ID: '9', SDC_TIER: 'production' },
    };
    const calls = async () => (await readFile(path.join(root, 'calls.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as string[]);
    return { runtime, req, dir, calls };
  }

  it('runs the processor with the job file in container paths, captures its output and keeps its outputs', async () => {
    const script = 'cat "$SDC_JOB_FILE"; ls "$SDC_INPUT_DIR"; echo "tier $SDC_TIER"; echo calibrated > "$SDC_OUTPUT_DIR/out.txt"; echo note >&2';
    const { runtime, req, dir, calls } = await setup(['sh', '-c', script]);
    const result = await runtime.run(req);
    expect(result.exitCode).toBe(0);
    expect(result.timedOut).toBe(false);
    expect(result.log).toContain('"path": "/sdc/inputs/mms1_mag_l1a.cdf"');
    expect(result.log).toContain('"outputDir": "/sdc/outputs"');
    expect(result.log).toContain('tier production');
    expect(result.log).toContain('note');
    expect(await readFile(path.join(dir, 'outputs', 'out.txt'), 'utf8')).toBe('calibrated\n');
    const [run] = await calls();
    expect(run?.[0]).toBe('run');
    expect(values(run ?? [], '--mount')[2]).toBe(`type=bind,source=${dir}/job.container.json,target=/sdc/job.json,readonly`);
  });

  it('reports the processor exit code', async () => {
    const { runtime, req } = await setup(['sh', '-c', 'echo broken; exit 3']);
    const result = await runtime.run(req);
    expect(result.exitCode).toBe(3);
    expect(result.log).toContain('broken');
  });

  it('stops the container by name at the time limit and removes it', async () => {
    const { runtime, req, calls } = await setup(['sh', '-c', 'sleep 30 & sleep 30'], 400);
    const started = Date.now();
    const result = await runtime.run(req);
    expect(result.timedOut).toBe(true);
    expect(Date.now() - started).toBeLessThan(8_000);
    expect(result.log).toMatch(/time limit of 400 ms reached; stopping container sdc-job-9-/);
    const recorded = await calls();
    const name = values(recorded[0] ?? [], '--name')[0];
    expect(recorded).toContainEqual(['kill', '--signal', 'SIGTERM', name]);
    expect(recorded).toContainEqual(['rm', '-f', name]);
  });

  it('says when the engine could not run the container (an unknown image)', async () => {
    const { runtime, req } = await setup(['true']);
    const result = await runtime.run({ ...req, bundle: { ...req.bundle, manifest: manifest({ image: 'team/absent:1', command: ['true'] }) } });
    expect(result.exitCode).toBe(125);
    expect(result.log).toMatch(/Unable to find image 'team\/absent:1'/);
    expect(result.log).toMatch(/could not run the container \(exit 125\)/);
  });

  it('reports an engine binary that does not exist instead of throwing', async () => {
    const { req } = await setup(['true']);
    const runtime = new ContainerRuntime(runtimeConfigSchema.parse({ kind: 'container', binary: '/no/such/docker' }) as ContainerRuntimeConfig);
    const result = await runtime.run(req);
    expect(result.exitCode).not.toBe(0);
    expect(result.log).toMatch(/cannot start '\/no\/such\/docker'/);
    expect(existsSync(path.join(path.dirname(req.jobFile), 'job.container.json'))).toBe(true);
  });
});
