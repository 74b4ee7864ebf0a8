import { spawn } from 'node:child_process';
import { BoundedLog } from './bounded-log.js';

/** What a short CLI call (docker kill, kubectl get...) returned. */
export interface CliResult {
  /** Exit code; null when the program could not start or was stopped at its time limit. */
  exitCode: number | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  /** Written to the program's stdin (a manifest for `kubectl apply -f -`). */
  input?: string;
  /** The call is stopped (SIGKILL) past this; a hung CLI must not hang a worker. */
  timeoutMs?: number;
}

/**
 * Runs a container or cluster CLI to completion and collects its output (bounded). Never
 * throws: a program that cannot start is reported as exit code null with the reason in stderr.
 */
export function runCli(binary: string, args: string[], options: CliOptions = {}): Promise<CliResult> {
  const stdout = new BoundedLog(4 * 1024 * 1024);
  const stderr = new BoundedLog(64 * 1024);
  return new Promise((resolve) => {
    const child = spawn(binary, args, { stdio: ['pipe', 'pipe', 'pipe'], timeout: options.timeoutMs ?? 60_000, killSignal: 'SIGKILL' });
    let startError: Error | undefined;
    child.stdout.setEncoding('utf8').on('data', (text: string) => stdout.append(text));
    child.stderr.setEncoding('utf8').on('data', (text: string) => stderr.append(text));
    child.on('error', (error) => {
      startError = error;
    });
    child.stdin.on('error', () => {
      // the program exited before reading its input; its exit code says why
    });
    child.stdin.end(options.input ?? '');
    child.on('close', (exitCode) => {
      const message = startError ? `cannot run '${binary}': ${startError.message}` : '';
      resolve({ exitCode: startError ? null : exitCode, stdout: stdout.toString(), stderr: message || stderr.toString() });
    });
  });
}
