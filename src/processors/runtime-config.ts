/**
 * The `processing.runtime` section of the configuration: where processors run. `process` (the
 * default) runs them as subprocesses; `container` with the Docker or Podman CLI; `kubernetes` as
 * Jobs through kubectl. `processing.processorRuntimes` may choose another runtime per processor.
 */
import { z } from 'zod';

const processRuntime = z.object({ kind: z.literal('process') }).strict();

const containerRuntime = z
  .object({
    kind: z.literal('container'),
    /** Which CLI dialect to speak; Podman maps the host user with `--userns keep-id`. */
    engine: z.enum(['docker', 'podman']).default('docker'),
    /** The CLI to run; defaults to the engine's name, looked up on PATH. */
    binary: z.string().min(1).optional(),
    /** `none` (the default) gives the processor no network at all. */
    network: z.string().min(1).default('none'),
    /** When to pull the image before a run. */
    pull: z.enum(['missing', 'never', 'always']).default('missing'),
    /**
     * Image that runs bundles whose manifest names no image: the bundle folder is mounted
     * read-only at /sdc/bundle and the command runs there. Absent: such bundles cannot run.
     */
    bundleImage: z.string().min(1).optional(),
    /** Podman on an SELinux host: relabel the bind mounts so the container may read them. */
    selinuxRelabel: z.boolean().default(false),
  })
  .strict()
  .refine((c) => !c.selinuxRelabel || c.engine === 'podman', { message: 'selinuxRelabel needs engine podman (docker --mount cannot relabel)', path: ['selinuxRelabel'] });

const kubernetesVolume = z.union([
  z.object({ claimName: z.string().min(1) }).strict(),
  z.object({ hostPath: z.string().startsWith('/') }).strict(),
]);

const kubernetesRuntime = z
  .object({
    kind: z.literal('kubernetes'),
    binary: z.string().min(1).default('kubectl'),
    namespace: z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'a Kubernetes namespace name').default('default'),
    /** kubectl context; absent: the current one. */
    context: z.string().min(1).optional(),
    /**
     * The volume holding the workers' scratch folders (`processing.workDir`), shared with the
     * cluster: a PersistentVolumeClaim (ReadWriteMany) or a hostPath on every node.
     */
    volume: kubernetesVolume,
    /** Where that volume is mounted on the worker; defaults to `processing.workDir`. */
    volumeRoot: z.string().optional(),
    /** Finished Jobs are deleted by the SDC; this is the cluster's safety net if a worker dies. */
    ttlSecondsAfterFinished: z.number().int().min(0).default(3600),
    /** How often the Job's status is read while it runs. */
    pollMs: z.number().int().min(100).default(2000),
    serviceAccountName: z.string().min(1).optional(),
    imagePullSecrets: z.array(z.string().min(1)).default([]),
    nodeSelector: z.record(z.string(), z.string()).default({}),
    /** The non-root user and group the pod runs as; default: the worker's own when not root, else 1000. */
    runAsUser: z.number().int().min(1).optional(),
    runAsGroup: z.number().int().min(1).optional(),
  })
  .strict();

export const runtimeConfigSchema = z.discriminatedUnion('kind', [processRuntime, containerRuntime, kubernetesRuntime]);

export type RuntimeConfig = z.infer<typeof runtimeConfigSchema>;
export type ContainerRuntimeConfig = z.infer<typeof containerRuntime>;
export type KubernetesRuntimeConfig = z.infer<typeof kubernetesRuntime>;
