import { fork, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RunResult } from './processor-runtime.js';
import type { SubprocessSpec } from './subprocess.js';

/** A start request to the launcher's child, and its answer. */
export interface LaunchRequest {
  id: number;
  spec: SubprocessSpec;
}
export interface LaunchResult {
  id: number;
  result: RunResult;
}

let hostModule: string | undefined;

/**
 * The child's module: the one beside this, once built. From source (tests, the bench) it is
 * bundled with esbuild into one file of plain JavaScript in the temporary folder, named by its
 * content, so that the child does not load tsx: with tsx's loader it held 70-80 MB against 40,
 * and every processor start forks it, at a cost in proportion (12 % of the orchestration
 * bench's jobs/s).
 */
function launcherHostModule(): string {
  const here = fileURLToPath(import.meta.url);
  const beside = path.join(path.dirname(here), `process-launcher-host${path.extname(here)}`);
  if (beside.endsWith('.js')) return beside;
  const esbuild = createRequire(import.meta.url)('esbuild') as typeof import('esbuild');
  const code = esbuild.buildSync({ entryPoints: [beside], bundle: true, platform: 'node', format: 'esm', write: false }).outputFiles[0]!.text;
  const file = path.join(os.tmpdir(), `sdc-process-launcher-host-${createHash('sha256').update(code).digest('hex').slice(0, 16)}.mjs`);
  if (!existsSync(file)) {
    // Written aside and renamed: processes bundling it at once never start a partial file.
    const partial = `${file}.${process.pid}.partial`;
    writeFileSync(partial, code);
    renameSync(partial, file);
  }
  return file;
}

/**
 * Starts processors from a small child process instead of from the worker. Starting a program
 * forks the process that starts it, and a fork costs in proportion to that process's memory: from
 * a worker holding hundreds of megabytes it blocked the worker's event loop for 10 to 25 ms per
 * job, during which no other job of the worker advanced. The child is started at the first run
 * (and again if it dies), does not keep the worker alive when idle, and kills its processors when
 * the worker goes away.
 */
export class ProcessLauncher {
  private host: ChildProcess | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (result: RunResult) => void; started: number }>();

  run(spec: SubprocessSpec): Promise<RunResult> {
    const host = this.host ?? this.startHost();
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, { resolve, started: Date.now() });
      host.channel?.ref();
      host.send({ id, spec } satisfies LaunchRequest);
    });
  }

  /**
   * Ends the child (it kills any processor still running) and resolves once it has exited; a
   * later run starts a new one. An SDC closes its launcher when it stops, so that a process
   * opening SDCs one after another (tests, the bench) does not keep one idle child per SDC.
   */
  async close(): Promise<void> {
    const host = this.host;
    if (!host) return;
    this.host = undefined;
    const exited = new Promise<void>((resolve) => host.once('exit', () => resolve()));
    if (host.exitCode === null && host.signalCode === null) {
      if (host.connected) host.disconnect();
      await exited;
    }
  }

  private startHost(): ChildProcess {
    hostModule ??= launcherHostModule();
    const host = fork(hostModule, [], { execArgv: [], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    host.on('message', (message: LaunchResult) => this.settle(message.id, message.result));
    host.on('exit', (code, signal) => {
      if (this.host === host) this.host = undefined;
      for (const [id, { started }] of this.pending) {
        this.settle(id, { exitCode: null, signal: 'SIGKILL', timedOut: false, durationMs: Date.now() - started, log: `\n[sdc] the process launcher exited (${signal ?? `code ${code}`}) while the processor ran\n` });
      }
    });
    // A failed send shows as the child's exit, which settles what was pending.
    host.on('error', () => undefined);
    host.unref();
    host.channel?.unref();
    this.host = host;
    return host;
  }

  private settle(id: number, result: RunResult): void {
    const entry = this.pending.get(id);
    if (!entry) return;
    this.pending.delete(id);
    if (this.pending.size === 0) this.host?.channel?.unref();
    entry.resolve(result);
  }
}
