import { describe, expect, it } from 'vitest';
import { configSchema } from '../config/config-schema.js';
import { ContainerRuntime } from './container-runtime.js';
import { createProcessorRuntime, ProcessorRuntimeSelector } from './create-runtime.js';
import { KubernetesRuntime } from './kubernetes-runtime.js';
import { ProcessRuntime } from './process-runtime.js';
import { runtimeConfigSchema } from './runtime-config.js';

const environment = { workDir: '/srv/sdc/work' };

describe('createProcessorRuntime', () => {
  it('makes the site runtime of each kind', () => {
    expect(createProcessorRuntime({ runtime: runtimeConfigSchema.parse({ kind: 'process' }), processorRuntimes: {} }, environment)).toBeInstanceOf(ProcessRuntime);
    expect(createProcessorRuntime({ runtime: runtimeConfigSchema.parse({ kind: 'container', engine: 'podman' }), processorRuntimes: {} }, environment)).toBeInstanceOf(ContainerRuntime);
    const kubernetes = runtimeConfigSchema.parse({ kind: 'kubernetes', volume: { claimName: 'work' } });
    expect(createProcessorRuntime({ runtime: kubernetes, processorRuntimes: {} }, environment)).toBeInstanceOf(KubernetesRuntime);
  });

  it('chooses the runtime per processor when some processors have their own', () => {
    const runtime = createProcessorRuntime(
      { runtime: runtimeConfigSchema.parse({ kind: 'process' }), processorRuntimes: { 'fgm-l2': runtimeConfigSchema.parse({ kind: 'kubernetes', volume: { hostPath: '/data/work' } }) } },
      environment,
    );
    expect(runtime).toBeInstanceOf(ProcessorRuntimeSelector);
    const selector = runtime as ProcessorRuntimeSelector;
    expect(selector.runtimeOf('fgm-l2')).toBeInstanceOf(KubernetesRuntime);
    expect(selector.runtimeOf('fgm-l1a')).toBeInstanceOf(ProcessRuntime);
    expect(selector.name).toBe('process+fgm-l2:kubernetes');
  });

  it('reads the site runtime and the per-processor ones from the SDC configuration', () => {
    const config = configSchema.parse({ processing: { runtime: { kind: 'container', engine: 'podman' }, processorRuntimes: { 'fgm-l2': { kind: 'kubernetes', volume: { claimName: 'work' } } } } });
    const selector = createProcessorRuntime(config.processing, environment) as ProcessorRuntimeSelector;
    expect(selector.runtimeOf('fgm-l1a')).toBeInstanceOf(ContainerRuntime);
    expect(selector.runtimeOf('fgm-l2')).toBeInstanceOf(KubernetesRuntime);
    expect(configSchema.parse({}).processing.runtime).toEqual({ kind: 'process' });
  });
});
