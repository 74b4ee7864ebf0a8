import { spawn } from 'node:child_process';
import { childOutcome } from './child-outcome.js';
import type { RunResult } from './processor-runtime.js';

/** Grace between SIGTERM and SIGKILL when a processor overruns its time limit. */
const KILL_GRACE_MS = 5_000;

/** What to start: a processor's command in its bundle folder, with its job's environment. */
export interface SubprocessSpec {
  command: string[];
  cwd: string;
  /** Added to this process's environment. */
  env: Record<string, string>;
  timeoutMs: number;
}

/** A started processor: its outcome, and a way to stop it with everything it started. */
export interface Subprocess {
  done: Promise<RunResult>;
  kill(signal: NodeJS.Signals): void;
}

/**
 * Starts a processor in its own process group, so that a timeout (or the end of its launcher)
 * stops everything it started, as does its own exit; stdout and stderr are collected into a bounded log. Never throws:
 * a command that cannot start ends with its reason in the log.
 */
export function startSubprocess(spec: SubprocessSpec): Subprocess {
  const [command = '', ...args] = spec.command;
  const child = spawn(command, args, { cwd: spec.cwd, env: { ...process.env, ...spec.env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const kill = (signal: NodeJS.Signals) => {
    try {
      if (child.pid) process.kill(-child.pid, signal);
    } catch {
      // already gone
    }
  };
  const done = childOutcome(child, {
    command,
    timeoutMs: spec.timeoutMs,
    stopping: 'the processor',
    onTimeout: () => {
      kill('SIGTERM');
      setTimeout(() => kill('SIGKILL'), KILL_GRACE_MS).unref();
    },
    // What it left running in its group when it exited is stopped: its outputs go to the store
    // and its scratch folder to the next job, where a straggler must not write.
    onClose: () => kill('SIGKILL'),
  });
  return { done, kill };
}
