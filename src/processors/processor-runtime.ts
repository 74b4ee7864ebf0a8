import type { ProcessorBundle } from './processor-manifest.js';

/** One run of a processor, as a runtime sees it. */
export interface RunRequest {
  jobId: number;
  bundle: ProcessorBundle;
  /** The JSON job file (inputs, output folder, parameters); passed as SDC_JOB_FILE. */
  jobFile: string;
  /** Staged inputs, read-only. */
  inputDir: string;
  /** Empty at start; everything the processor leaves here is an output. */
  outputDir: string;
  timeoutMs: number;
  /** Extra environment for the processor. */
  env: Record<string, string>;
}

export interface RunResult {
  /** Exit code, or null when the process was killed by a signal. */
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  durationMs: number;
  /** stdout and stderr interleaved, bounded (head and tail kept). */
  log: string;
}

/**
 * Where processors run: a subprocess here, a container (Docker/Podman) or a Kubernetes Job
 * elsewhere; every runtime honours the same contract.
 */
export interface ProcessorRuntime {
  readonly name: string;
  run(request: RunRequest): Promise<RunResult>;
  /** Releases what the runtime keeps between runs (the process runtime's launcher); none may be running. */
  close?(): Promise<void>;
}
