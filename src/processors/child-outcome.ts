import type { ChildProcess } from 'node:child_process';
import { BoundedLog } from './bounded-log.js';
import type { RunResult } from './processor-runtime.js';

export interface ChildOutcomeOptions {
  /** The program started, named in the log if it cannot start. */
  command: string;
  timeoutMs: number;
  /** What the log says is being stopped when the time limit is reached ("the processor", "container x"). */
  stopping: string;
  /** Stops the child once its time limit is reached. */
  onTimeout(): void;
  /** Runs once the child has closed, before the result is made (a note in the log, a clean-up to wait for). */
  onClose?(exitCode: number | null, timedOut: boolean, log: BoundedLog): void | Promise<void>;
}

/**
 * The run result of a started child: stdout and stderr collected into a bounded log, its exit
 * code or signal, and whether it ran past its time limit (then `onTimeout` stops it, and the log
 * says so). Never rejects: a command that cannot start ends with its reason in the log.
 */
export function childOutcome(child: ChildProcess, options: ChildOutcomeOptions): Promise<RunResult> {
  const started = Date.now();
  const log = new BoundedLog();
  return new Promise((resolve) => {
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      log.append(`\n[sdc] time limit of ${options.timeoutMs} ms reached; stopping ${options.stopping}\n`);
      options.onTimeout();
    }, options.timeoutMs);
    child.stdout?.setEncoding('utf8').on('data', (text: string) => log.append(text));
    child.stderr?.setEncoding('utf8').on('data', (text: string) => log.append(text));
    child.on('error', (error) => log.append(`\n[sdc] cannot start '${options.command}': ${error.message}\n`));
    child.on('close', (exitCode, signal) => {
      clearTimeout(timer);
      void Promise.resolve(options.onClose?.(exitCode, timedOut, log)).then(() => resolve({ exitCode, signal, timedOut, durationMs: Date.now() - started, log: log.toString() }));
    });
  });
}
