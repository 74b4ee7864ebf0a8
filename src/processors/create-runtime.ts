import { ContainerRuntime } from './container-runtime.js';
import { KubernetesRuntime } from './kubernetes-runtime.js';
import { ProcessRuntime } from './process-runtime.js';
import type { ProcessorRuntime, RunRequest, RunResult } from './processor-runtime.js';
import type { RuntimeConfig } from './runtime-config.js';

/** The `processing` settings the factory reads. */
export interface RuntimeSettings {
  /** The site's runtime. */
  runtime: RuntimeConfig;
  /** Another runtime for some processors, by processor name. */
  processorRuntimes: Record<string, RuntimeConfig>;
}

export interface RuntimeEnvironment {
  /** The workers' scratch folder (resolved `processing.workDir`); the Kubernetes volume's default root. */
  workDir: string;
}

function runtimeFor(config: RuntimeConfig, environment: RuntimeEnvironment): ProcessorRuntime {
  switch (config.kind) {
    case 'process':
      return new ProcessRuntime();
    case 'container':
      return new ContainerRuntime(config);
    case 'kubernetes':
      return new KubernetesRuntime(config, { volumeRoot: config.volumeRoot ?? environment.workDir });
  }
}

/** Sends each run to the runtime configured for its processor, else to the site's. */
export class ProcessorRuntimeSelector implements ProcessorRuntime {
  readonly name: string;

  constructor(private readonly site: ProcessorRuntime, private readonly byProcessor: ReadonlyMap<string, ProcessorRuntime>) {
    this.name = `${site.name}+${[...byProcessor].map(([processor, runtime]) => `${processor}:${runtime.name}`).join(',')}`;
  }

  /** The runtime that runs this processor. */
  runtimeOf(processor: string): ProcessorRuntime {
    return this.byProcessor.get(processor) ?? this.site;
  }

  run(request: RunRequest): Promise<RunResult> {
    return this.runtimeOf(request.bundle.manifest.name).run(request);
  }
}

/**
 * The processor runtime the configuration asks for: `processing.runtime` for the site, with
 * `processing.processorRuntimes` overriding it per processor.
 */
export function createProcessorRuntime(settings: RuntimeSettings, environment: RuntimeEnvironment): ProcessorRuntime {
  const site = runtimeFor(settings.runtime, environment);
  const overrides = Object.entries(settings.processorRuntimes);
  if (overrides.length === 0) return site;
  return new ProcessorRuntimeSelector(site, new Map(overrides.map(([processor, config]) => [processor, runtimeFor(config, environment)])));
}
