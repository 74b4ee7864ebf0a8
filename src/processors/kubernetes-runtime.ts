import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { BoundedLog } from './bounded-log.js';
import { runCli, type CliResult } from './cli-command.js';
import { writeContainerJobFile } from './container-job-file.js';
import { kubernetesJobManifest, KubernetesRuntimeError } from './kubernetes-job-manifest.js';
import type { ProcessorRuntime, RunRequest, RunResult } from './processor-runtime.js';
import type { KubernetesRuntimeConfig } from './runtime-config.js';

/** Pod waiting reasons that will not resolve by themselves: the run fails at once (typed error) rather than at its deadline. */
const HOPELESS_WAITING = new Set(['ErrImagePull', 'ImagePullBackOff', 'InvalidImageName', 'CreateContainerConfigError', 'CreateContainerError']);

/** Margin past activeDeadlineSeconds before the worker gives up on the cluster reporting the outcome. */
const STATUS_MARGIN_MS = 30_000;

export interface KubernetesRuntimeOptions {
  /** Where the shared volume is mounted on the worker (`volumeRoot`, else `processing.workDir`). */
  volumeRoot: string;
  /** The worker's user; the pod runs as it when it is not root. */
  user?: { uid: number; gid: number };
}

/** How a Job ended, as read from its status and its pod's. */
interface JobOutcome {
  exitCode: number | null;
  timedOut: boolean;
  note?: string;
}

interface JobStatus {
  succeeded?: number;
  failed?: number;
  conditions?: { type: string; status: string; reason?: string; message?: string }[];
}

interface PodList {
  items: { status?: { containerStatuses?: { state?: { terminated?: { exitCode: number; reason?: string }; waiting?: { reason?: string; message?: string } } }[] } }[];
}

/** A Job name derived from the job id, unique per attempt (a DNS label). */
export function kubernetesJobName(jobId: number): string {
  return `sdc-job-${jobId}-${randomBytes(3).toString('hex')}`;
}

/**
 * Runs processors as Kubernetes Jobs through kubectl: applies the Job, polls its status until it
 * completes, fails or passes its deadline, collects the pod's exit code and log, and deletes it
 * (ttlSecondsAfterFinished cleans up after a worker that died meanwhile).
 */
export class KubernetesRuntime implements ProcessorRuntime {
  readonly name = 'kubernetes';
  private readonly user: { uid: number; gid: number };

  constructor(private readonly config: KubernetesRuntimeConfig, private readonly options: KubernetesRuntimeOptions) {
    const uid = options.user?.uid ?? process.getuid?.() ?? 0;
    const gid = options.user?.gid ?? process.getgid?.() ?? 0;
    this.user = uid === 0 ? { uid: config.runAsUser ?? 1000, gid: config.runAsGroup ?? 1000 } : { uid: config.runAsUser ?? uid, gid: config.runAsGroup ?? gid };
  }

  async run(request: RunRequest): Promise<RunResult> {
    const started = Date.now();
    const name = kubernetesJobName(request.jobId);
    const jobFile = await writeContainerJobFile(request);
    const manifest = kubernetesJobManifest(request, this.config, { name, jobFile, volumeRoot: this.options.volumeRoot, runAsUser: this.user.uid, runAsGroup: this.user.gid });
    const applied = await this.kubectl(['apply', '-f', '-'], JSON.stringify(manifest));
    if (applied.exitCode !== 0) {
      throw new KubernetesRuntimeError(`kubectl could not create Job ${name}: ${applied.stderr.trim()}`, { job: request.jobId, name });
    }
    try {
      const outcome = await this.awaitOutcome(name, request.timeoutMs);
      const log = new BoundedLog();
      log.append((await this.kubectl(['logs', `job/${name}`, '--all-containers'])).stdout);
      if (outcome.note) log.append(`\n[sdc] ${outcome.note}\n`);
      return { exitCode: outcome.exitCode, signal: null, timedOut: outcome.timedOut, durationMs: Date.now() - started, log: log.toString() };
    } finally {
      await this.kubectl(['delete', 'job', name, '--ignore-not-found', '--cascade=background', '--wait=false']);
    }
  }

  private kubectl(args: string[], input?: string): Promise<CliResult> {
    const global = ['--namespace', this.config.namespace, ...(this.config.context ? ['--context', this.config.context] : [])];
    return runCli(this.config.binary, [...global, ...args], { input });
  }

  private async getJson<T>(args: string[]): Promise<T | undefined> {
    const result = await this.kubectl([...args, '-o', 'json']);
    if (result.exitCode !== 0) return undefined;
    try {
      return JSON.parse(result.stdout) as T;
    } catch {
      return undefined;
    }
  }

  /** Polls until the Job finishes; a transient kubectl failure is retried until the deadline. */
  private async awaitOutcome(name: string, timeoutMs: number): Promise<JobOutcome> {
    const giveUpAt = Date.now() + timeoutMs + STATUS_MARGIN_MS;
    for (;;) {
      const job = await this.getJson<{ status?: JobStatus }>(['get', 'job', name]);
      const pods = await this.getJson<PodList>(['get', 'pods', '--selector', `job-name=${name}`]);
      const container = pods?.items[0]?.status?.containerStatuses?.[0]?.state;
      const status = job?.status ?? {};
      const failed = status.conditions?.find((c) => c.type === 'Failed' && c.status === 'True');
      const terminated = container?.terminated;
      if ((status.succeeded ?? 0) > 0) return { exitCode: terminated?.exitCode ?? 0, timedOut: false };
      if (failed?.reason === 'DeadlineExceeded') return { exitCode: null, timedOut: true, note: `time limit of ${timeoutMs} ms reached; Kubernetes stopped Job ${name}` };
      if (failed || (status.failed ?? 0) > 0) {
        const reason = terminated?.reason ? ` (${terminated.reason})` : '';
        return { exitCode: terminated?.exitCode ?? null, timedOut: false, note: `Job ${name} failed: ${failed?.reason ?? 'pod failed'}${reason}` };
      }
      const waiting = container?.waiting;
      if (waiting?.reason && HOPELESS_WAITING.has(waiting.reason)) {
        throw new KubernetesRuntimeError(`the pod of Job ${name} cannot start: ${waiting.reason}${waiting.message ? ` (${waiting.message})` : ''}`, { name, reason: waiting.reason });
      }
      if (Date.now() > giveUpAt) return { exitCode: null, timedOut: true, note: `no outcome for Job ${name} from the cluster within the time limit; deleted` };
      await sleep(this.config.pollMs);
    }
  }
}
