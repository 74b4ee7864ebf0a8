import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { SdcError } from '../errors/sdc-error.js';
import { childOutcome } from './child-outcome.js';
import { runCli } from './cli-command.js';
import { CONTAINER_PATHS, containerEnvironment, writeContainerJobFile } from './container-job-file.js';
import type { ProcessorRuntime, RunRequest, RunResult } from './processor-runtime.js';
import type { ContainerRuntimeConfig } from './runtime-config.js';

/** A run the container runtime cannot even start (no image, a path the engine cannot mount). */
export class ContainerRuntimeError extends SdcError {
  constructor(message: string, details: Record<string, unknown>) {
    super('invalid-config', message, details);
  }
}

/** Everything `docker run` / `podman run` needs for one run, besides the request. */
export interface ContainerRunPlan {
  engine: 'docker' | 'podman';
  /** The container's name, so a timeout can stop and remove it. */
  name: string;
  /** Host path of the job file as the container must see it (paths rewritten). */
  jobFile: string;
  network: string;
  pull: 'missing' | 'never' | 'always';
  bundleImage?: string;
  selinuxRelabel: boolean;
  /** The worker's user, so outputs belong to it rather than to root. */
  user: { uid: number; gid: number };
}

/** A container name derived from the job id, unique per attempt. */
export function containerName(jobId: number): string {
  return `sdc-job-${jobId}-${randomBytes(3).toString('hex')}`;
}

function bindMount(plan: ContainerRunPlan, source: string, target: string, readonly: boolean): string[] {
  // --mount is CSV: a comma or quote in a host path would split the option
  if (/[,"]/.test(source)) throw new ContainerRuntimeError(`cannot mount ${source} into a container: its path holds a comma or a quote`, { path: source });
  const options = [`type=bind`, `source=${source}`, `target=${target}`];
  if (readonly) options.push('readonly');
  if (plan.selinuxRelabel) options.push('relabel=shared');
  return ['--mount', options.join(',')];
}

function userArguments(plan: ContainerRunPlan): string[] {
  // rootless Podman maps --user into a sub-uid range; keep-id maps the worker's uid to itself
  if (plan.engine === 'podman' && plan.user.uid !== 0) return ['--userns', 'keep-id'];
  return ['--user', `${plan.user.uid}:${plan.user.gid}`];
}

/**
 * The `run` argument list for one processor run: inputs and job file read-only, outputs
 * read-write, the contract's SDC_* variables with container paths, limits, no network unless
 * configured, no capabilities, the worker's user, the manifest's command as the entrypoint.
 */
export function containerRunArguments(request: RunRequest, plan: ContainerRunPlan): string[] {
  const { manifest, folder } = request.bundle;
  const image = manifest.image ?? plan.bundleImage;
  if (!image) {
    throw new ContainerRuntimeError(`processor ${manifest.name}@${manifest.version} names no image and no bundleImage is configured`, { processor: manifest.name });
  }
  const [entrypoint = '', ...args] = manifest.command;
  const argv = ['run', '--rm', '--name', plan.name, '--init', '--network', plan.network, '--pull', plan.pull];
  argv.push('--label', `sdc.job-id=${request.jobId}`, '--label', `sdc.processor=${manifest.name}@${manifest.version}`);
  argv.push('--security-opt', 'no-new-privileges', '--cap-drop', 'ALL', ...userArguments(plan));
  const { memoryMb, cpus } = manifest.limits;
  if (memoryMb !== undefined) argv.push('--memory', `${memoryMb}m`, '--memory-swap', `${memoryMb}m`);
  if (cpus !== undefined) argv.push('--cpus', String(cpus));
  argv.push(...bindMount(plan, request.inputDir, CONTAINER_PATHS.inputs, true));
  argv.push(...bindMount(plan, request.outputDir, CONTAINER_PATHS.outputs, false));
  argv.push(...bindMount(plan, plan.jobFile, CONTAINER_PATHS.jobFile, true));
  if (!manifest.image) argv.push(...bindMount(plan, folder, CONTAINER_PATHS.bundle, true), '--workdir', CONTAINER_PATHS.bundle);
  const env = containerEnvironment(request);
  for (const key of Object.keys(env).sort()) argv.push('--env', `${key}=${env[key]}`);
  argv.push('--entrypoint', entrypoint, image, ...args);
  return argv;
}

export interface ContainerRuntimeOptions {
  /** Grace between the stop signal and SIGKILL at a timeout. */
  killGraceMs?: number;
  /** The worker's user; defaults to this process's. */
  user?: { uid: number; gid: number };
}

/**
 * Runs processors in containers with the Docker or Podman CLI. The engine's client streams the
 * container's output; at the time limit the container itself is signalled by name (killing the
 * client alone would leave it running), then removed.
 */
export class ContainerRuntime implements ProcessorRuntime {
  readonly name = 'container';
  private readonly binary: string;
  private readonly killGraceMs: number;
  private readonly user: { uid: number; gid: number };

  constructor(private readonly config: ContainerRuntimeConfig, options: ContainerRuntimeOptions = {}) {
    this.binary = config.binary ?? config.engine;
    this.killGraceMs = options.killGraceMs ?? 5_000;
    this.user = options.user ?? { uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0 };
  }

  async run(request: RunRequest): Promise<RunResult> {
    const plan: ContainerRunPlan = {
      engine: this.config.engine,
      name: containerName(request.jobId),
      jobFile: await writeContainerJobFile(request),
      network: this.config.network,
      pull: this.config.pull,
      bundleImage: this.config.bundleImage,
      selinuxRelabel: this.config.selinuxRelabel,
      user: this.user,
    };
    return this.runContainer(request, plan.name, containerRunArguments(request, plan));
  }

  private runContainer(request: RunRequest, name: string, argv: string[]): Promise<RunResult> {
    const child = spawn(this.binary, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    return childOutcome(child, {
      command: this.binary,
      timeoutMs: request.timeoutMs,
      stopping: `container ${name}`,
      onTimeout: () => void this.stop(name, child),
      onClose: async (exitCode, timedOut, log) => {
        if (exitCode === 125) log.append(`\n[sdc] ${this.binary} could not run the container (exit 125)\n`);
        if (timedOut) await runCli(this.binary, ['rm', '-f', name]);
      },
    });
  }

  /** SIGTERM to the container, SIGKILL after the grace, and the client too if it hangs on. */
  private async stop(name: string, client: ReturnType<typeof spawn>): Promise<void> {
    await runCli(this.binary, ['kill', '--signal', 'SIGTERM', name]);
    setTimeout(() => {
      void runCli(this.binary, ['kill', '--signal', 'SIGKILL', name]).then(() => {
        setTimeout(() => client.kill('SIGKILL'), this.killGraceMs).unref();
      });
    }, this.killGraceMs).unref();
  }
}
