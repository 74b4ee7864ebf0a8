import { describe, expect, it } from 'vitest';
import { kubernetesJobManifest, KubernetesRuntimeError, type KubernetesJobPlan } from './kubernetes-job-manifest.js';
import type { ProcessorManifest } from './processor-manifest.js';
import type { RunRequest } from './processor-runtime.js';
import { runtimeConfigSchema, type KubernetesRuntimeConfig } from './runtime-config.js';

function manifest(overrides: Partial<ProcessorManifest> = {}): ProcessorManifest {
  return { name: 'fgm-l2', version: '5.0.0', instrument: 'fgm', description: '', produces: [{ level: 'l2' }], command: ['python3', '-m', 'fgm.l2'], image: 'registry.example/fgm-l2:5.0.0', limits: { memoryMb: 2048, cpus: 1.5 }, ...overrides };
}

const dir = '/srv/sdc/work/job-12-attempt-2';
function request(m: ProcessorManifest = manifest()): RunRequest {
  return { jobId: 12, bundle: { manifest: m, folder: '/srv/bundles/fgm-l2' }, jobFile: `${dir}/job.json`, inputDir: `${dir}/inputs`, outputDir: `${dir}/outputs`, timeoutMs: 90_500, env: { SDC_JOB_ID: '12', SDC_TIER: 'production' } };
}

function config(extra: Record<string, unknown> = {}): KubernetesRuntimeConfig {
  return runtimeConfigSchema.parse({ kind: 'kubernetes', namespace: 'sdc-jobs', volume: { claimName: 'sdc-work' }, ...extra }) as KubernetesRuntimeConfig;
}

const plan: KubernetesJobPlan = { name: 'sdc-job-12-a1b2c3', jobFile: `${dir}/job.container.json`, volumeRoot: '/srv/sdc/work', runAsUser: 1500, runAsGroup: 1600 };

/** The manifest with the shape these tests read (kubectl takes the plain object as JSON). */
interface JobShape {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace: string; labels: Record<string, string> };
  spec: {
    backoffLimit: number;
    activeDeadlineSeconds: number;
    ttlSecondsAfterFinished: number;
    template: { metadata: { labels: Record<string, string> }; spec: Record<string, unknown> & PodShape };
  };
}
interface PodShape {
  restartPolicy: string;
  securityContext: Record<string, unknown>;
  containers: { name: string; image: string; command: string[]; args: string[]; env: { name: string; value: string }[]; resources: Record<string, Record<string, string>>; securityContext: Record<string, unknown>; volumeMounts: Record<string, unknown>[] }[];
  volumes: Record<string, unknown>[];
}

function job(req = request(), cfg = config()): JobShape {
  return kubernetesJobManifest(req, cfg, plan) as unknown as JobShape;
}

describe('kubernetesJobManifest', () => {
  it('is a batch/v1 Job named for the job in the configured namespace, never retried by Kubernetes', () => {
    const j = job();
    expect([j.apiVersion, j.kind, j.metadata.name, j.metadata.namespace]).toEqual(['batch/v1', 'Job', 'sdc-job-12-a1b2c3', 'sdc-jobs']);
    expect(j.spec.backoffLimit).toBe(0);
    expect(j.spec.template.spec.restartPolicy).toBe('Never');
  });

  it('turns the time limit into activeDeadlineSeconds (rounded up) and keeps finished Jobs for the configured TTL', () => {
    expect(job().spec.activeDeadlineSeconds).toBe(91);
    expect(job().spec.ttlSecondsAfterFinished).toBe(3600);
    expect(job(request(), config({ ttlSecondsAfterFinished: 60 })).spec.ttlSecondsAfterFinished).toBe(60);
    expect(job({ ...request(), timeoutMs: 100 }).spec.activeDeadlineSeconds).toBe(1);
  });

  it('labels the Job and its pod with job id, processor, version and tier', () => {
    const expected = { 'app.kubernetes.io/managed-by': 'sdc', 'sdc-job-id': '12', 'sdc-processor': 'fgm-l2', 'sdc-processor-version': '5.0.0', 'sdc-tier': 'production' };
    expect(job().metadata.labels).toEqual(expected);
    expect(job().spec.template.metadata.labels).toEqual(expected);
  });

  it('runs the manifest image with its command split into command and args', () => {
    const [container] = job().spec.template.spec.containers;
    expect(container?.image).toBe('registry.example/fgm-l2:5.0.0');
    expect(container?.command).toEqual(['python3']);
    expect(container?.args).toEqual(['-m', 'fgm.l2']);
  });

  it('passes the contract variables with the paths the pod sees', () => {
    expect(job().spec.template.spec.containers[0]?.env).toEqual([
      { name: 'SDC_INPUT_DIR', value: '/sdc/inputs' },
      { name: 'SDC_JOB_FILE', value: '/sdc/job.json' },
      { name: 'SDC_JOB_ID', value: '12' },
      { name: 'SDC_OUTPUT_DIR', value: '/sdc/outputs' },
      { name: 'SDC_TIER', value: 'production' },
    ]);
  });

  it('requests and limits the manifest memory and CPU, and sets none when the manifest gives none', () => {
    expect(job().spec.template.spec.containers[0]?.resources).toEqual({ requests: { memory: '2048Mi', cpu: '1500m' }, limits: { memory: '2048Mi', cpu: '1500m' } });
    expect(job(request(manifest({ limits: {} }))).spec.template.spec.containers[0]?.resources).toEqual({});
  });

  it('mounts inputs and job file read-only and outputs read-write as sub-paths of the claimed volume', () => {
    const pod = job().spec.template.spec;
    expect(pod.containers[0]?.volumeMounts).toEqual([
      { name: 'work', mountPath: '/sdc/inputs', subPath: 'job-12-attempt-2/inputs', readOnly: true },
      { name: 'work', mountPath: '/sdc/outputs', subPath: 'job-12-attempt-2/outputs' },
      { name: 'work', mountPath: '/sdc/job.json', subPath: 'job-12-attempt-2/job.container.json', readOnly: true },
      { name: 'tmp', mountPath: '/tmp' },
    ]);
    expect(pod.volumes).toEqual([{ name: 'work', persistentVolumeClaim: { claimName: 'sdc-work' } }, { name: 'tmp', emptyDir: {} }]);
  });

  it('uses a hostPath directory instead of a claim when configured so', () => {
    expect(job(request(), config({ volume: { hostPath: '/data/sdc-work' } })).spec.template.spec.volumes[0]).toEqual({ name: 'work', hostPath: { path: '/data/sdc-work', type: 'Directory' } });
  });

  it('runs as a non-root user without privileges, capabilities, service account token or writable root', () => {
    const pod = job().spec.template.spec;
    expect(pod.securityContext).toEqual({ runAsNonRoot: true, runAsUser: 1500, runAsGroup: 1600, fsGroup: 1600, seccompProfile: { type: 'RuntimeDefault' } });
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.containers[0]?.securityContext).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
  });

  it('adds service account, pull secrets and node selector only when configured', () => {
    expect(Object.keys(job().spec.template.spec)).not.toEqual(expect.arrayContaining(['serviceAccountName']));
    const pod = job(request(), config({ serviceAccountName: 'sdc-runner', imagePullSecrets: ['regcred'], nodeSelector: { pool: 'science' } })).spec.template.spec;
    expect(pod.serviceAccountName).toBe('sdc-runner');
    expect(pod.imagePullSecrets).toEqual([{ name: 'regcred' }]);
    expect(pod.nodeSelector).toEqual({ pool: 'science' });
  });

  it('raises a typed error for a bundle without an image', () => {
    expect(() => job(request(manifest({ image: undefined })))).toThrow(KubernetesRuntimeError);
    expect(() => job(request(manifest({ image: undefined })))).toThrow(/fgm-l2@5.0.0 names no image/);
  });

  it('raises a typed error when the scratch folder is not on the shared volume', () => {
    expect(() => kubernetesJobManifest(request(), config(), { ...plan, volumeRoot: '/mnt/elsewhere' })).toThrow(/not inside the shared volume mounted at \/mnt\/elsewhere/);
  });
});
