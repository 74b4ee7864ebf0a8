import { ProcessLauncher } from './process-launcher.js';
import type { ProcessorRuntime, RunRequest, RunResult } from './processor-runtime.js';

/**
 * Runs a processor as a subprocess, in its bundle folder, in its own process group so that a
 * timeout kills everything it started. The subprocess is started by a small launcher process
 * (see process-launcher.ts), not by the worker itself.
 */
export class ProcessRuntime implements ProcessorRuntime {
  readonly name = 'process';
  private readonly launcher = new ProcessLauncher();

  run(request: RunRequest): Promise<RunResult> {
    return this.launcher.run({
      command: request.bundle.manifest.command,
      cwd: request.bundle.folder,
      env: { ...request.env, SDC_JOB_FILE: request.jobFile, SDC_INPUT_DIR: request.inputDir, SDC_OUTPUT_DIR: request.outputDir },
      timeoutMs: request.timeoutMs,
    });
  }

  close(): Promise<void> {
    return this.launcher.close();
  }
}
