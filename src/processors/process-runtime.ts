import { spawn } from 'node:child_process';
import { BoundedLog } from './bounded-log.js';
import type { ProcessorRuntime, RunRequest, RunResult } from './processor-runtime.js';

/** Grace between SIGTERM and SIGKILL when a processor overruns its time limit. */
const KILL_GRACE_MS = 5_000;

/**
 * Runs a processor as a subprocess of the worker, in its bundle folder, in its own process
 * group so that a timeout kills everything it started.
 */
export class ProcessRuntime implements ProcessorRuntime {
  readonly name = 'process';

  run(request: RunRequest): Promise<RunResult> {
    const [command = '', ...args] = request.bundle.manifest.command;
    const started = Date.now();
    const log = new BoundedLog();
    return new Promise((resolve) => {
      const child = spawn(command, args, {
        cwd: request.bundle.folder,
        env: { ...process.env, ...request.env, SDC_JOB_FILE: request.jobFile, SDC_INPUT_DIR: request.inputDir, SDC_OUTPUT_DIR: request.outputDir },
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true,
      });
      let timedOut = false;
      const killGroup = (signal: NodeJS.Signals) => {
        try {
          if (child.pid) process.kill(-child.pid, signal);
        } catch {
          // already gone
        }
      };
      const timer = setTimeout(() => {
        timedOut = true;
        log.append(`\n[sdc] time limit of ${request.timeoutMs} ms reached; stopping the processor\n`);
        killGroup('SIGTERM');
        setTimeout(() => killGroup('SIGKILL'), KILL_GRACE_MS).unref();
      }, request.timeoutMs);
      child.stdout.setEncoding('utf8').on('data', (text: string) => log.append(text));
      child.stderr.setEncoding('utf8').on('data', (text: string) => log.append(text));
      child.on('error', (error) => log.append(`\n[sdc] cannot start '${command}': ${error.message}\n`));
      child.on('close', (exitCode, signal) => {
        clearTimeout(timer);
        resolve({ exitCode, signal, timedOut, durationMs: Date.now() - started, log: log.toString() });
      });
    });
  }
}
