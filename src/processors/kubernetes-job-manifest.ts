import path from 'node:path';
import { SdcError } from '../errors/sdc-error.js';
import { CONTAINER_PATHS, containerEnvironment } from './container-job-file.js';
import type { RunRequest } from './processor-runtime.js';
import type { KubernetesRuntimeConfig } from './runtime-config.js';

/** A run the Kubernetes runtime cannot describe or start (no image, scratch outside the shared volume, kubectl refusing). */
export class KubernetesRuntimeError extends SdcError {
  constructor(message: string, details: Record<string, unknown>, options?: { cause?: unknown }) {
    super('invalid-config', message, details, options);
  }
}

/** What the Job needs besides the request and the site configuration. */
export interface KubernetesJobPlan {
  /** The Job's name (DNS label), derived from the job id. */
  name: string;
  /** Host path of the job file as the pod must see it (paths rewritten). */
  jobFile: string;
  /** Where the shared volume is mounted on the worker. */
  volumeRoot: string;
  runAsUser: number;
  runAsGroup: number;
}

/** A Kubernetes object as JSON (kubectl takes JSON as well as YAML). */
export type KubernetesObject = Record<string, unknown>;

/** The label that finds every object of one SDC job. */
export const JOB_ID_LABEL = 'sdc-job-id';

function subPath(plan: KubernetesJobPlan, hostPath: string): string {
  const relative = path.relative(plan.volumeRoot, hostPath);
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) {
    throw new KubernetesRuntimeError(`${hostPath} is not inside the shared volume mounted at ${plan.volumeRoot}; set processing.workDir inside it`, { path: hostPath, volumeRoot: plan.volumeRoot });
  }
  return relative.split(path.sep).join('/');
}

function resources(request: RunRequest): KubernetesObject {
  const { memoryMb, cpus } = request.bundle.manifest.limits;
  const amounts: Record<string, string> = {};
  if (memoryMb !== undefined) amounts.memory = `${memoryMb}Mi`;
  if (cpus !== undefined) amounts.cpu = `${Math.round(cpus * 1000)}m`;
  // requests equal to limits: the scheduler places the pod where the limit really is free
  return Object.keys(amounts).length === 0 ? {} : { requests: amounts, limits: amounts };
}

function labels(request: RunRequest): Record<string, string> {
  const { name, version } = request.bundle.manifest;
  const result: Record<string, string> = {
    'app.kubernetes.io/managed-by': 'sdc',
    [JOB_ID_LABEL]: String(request.jobId),
    'sdc-processor': name,
    'sdc-processor-version': version,
  };
  const tier = request.env.SDC_TIER;
  if (tier) result['sdc-tier'] = tier;
  return result;
}

function workVolume(config: KubernetesRuntimeConfig): KubernetesObject {
  if ('claimName' in config.volume) return { name: 'work', persistentVolumeClaim: { claimName: config.volume.claimName } };
  return { name: 'work', hostPath: { path: config.volume.hostPath, type: 'Directory' } };
}

/**
 * The `batch/v1` Job for one processor run: the manifest's image and command, the contract's
 * SDC_* variables, inputs and job file read-only and outputs read-write as sub-paths of the
 * shared volume, limits, the time limit as activeDeadlineSeconds, no retries (the SDC retries),
 * a non-root user without privileges, and labels naming the job, processor and tier.
 */
export function kubernetesJobManifest(request: RunRequest, config: KubernetesRuntimeConfig, plan: KubernetesJobPlan): KubernetesObject {
  const { manifest } = request.bundle;
  if (!manifest.image) throw new KubernetesRuntimeError(`processor ${manifest.name}@${manifest.version} names no image; the Kubernetes runtime runs images only`, { processor: manifest.name });
  const [command = '', ...args] = manifest.command;
  const env = containerEnvironment(request);
  const podLabels = labels(request);
  const podSpec: KubernetesObject = {
    restartPolicy: 'Never',
    automountServiceAccountToken: false,
    securityContext: { runAsNonRoot: true, runAsUser: plan.runAsUser, runAsGroup: plan.runAsGroup, fsGroup: plan.runAsGroup, seccompProfile: { type: 'RuntimeDefault' } },
    containers: [
      {
        name: 'processor',
        image: manifest.image,
        command: [command],
        args,
        env: Object.keys(env).sort().map((key) => ({ name: key, value: env[key] })),
        resources: resources(request),
        securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
        volumeMounts: [
          { name: 'work', mountPath: CONTAINER_PATHS.inputs, subPath: subPath(plan, request.inputDir), readOnly: true },
          { name: 'work', mountPath: CONTAINER_PATHS.outputs, subPath: subPath(plan, request.outputDir) },
          { name: 'work', mountPath: CONTAINER_PATHS.jobFile, subPath: subPath(plan, plan.jobFile), readOnly: true },
          // the root filesystem is read-only; scratch space stays writable
          { name: 'tmp', mountPath: '/tmp' },
        ],
      },
    ],
    volumes: [workVolume(config), { name: 'tmp', emptyDir: {} }],
  };
  if (config.serviceAccountName) podSpec.serviceAccountName = config.serviceAccountName;
  if (config.imagePullSecrets.length > 0) podSpec.imagePullSecrets = config.imagePullSecrets.map((name) => ({ name }));
  if (Object.keys(config.nodeSelector).length > 0) podSpec.nodeSelector = config.nodeSelector;
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: plan.name, namespace: config.namespace, labels: podLabels },
    spec: {
      backoffLimit: 0,
      activeDeadlineSeconds: Math.max(1, Math.ceil(request.timeoutMs / 1000)),
      ttlSecondsAfterFinished: config.ttlSecondsAfterFinished,
      template: { metadata: { labels: podLabels }, spec: podSpec },
    },
  };
}
