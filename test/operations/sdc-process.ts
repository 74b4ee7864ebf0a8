import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { openSdc, type Sdc } from '../../src/app/open-sdc.js';
import { loadConfig } from '../../src/config/load-config.js';
import type { Backend } from '../support/backends.js';
import { quietLogger } from '../support/test-sdc.js';

/** An `sdc` command running from the sources in a child process. */
export interface SdcProcess {
  child: ChildProcess;
  pid: number;
  stdout(): string;
  stderr(): string;
  /** Resolves once stdout holds `text`; rejects if the process ends first or after `timeoutMs`. */
  waitFor(text: string | RegExp, timeoutMs?: number): Promise<void>;
  /** Resolves with the exit code (a signal name if killed by one). */
  exited: Promise<number | string>;
}

/** Starts `sdc <args>` (through tsx, from src/) with the given environment added. */
export function startSdc(args: string[], env: Record<string, string>): SdcProcess {
  const script = "const { main } = await import('./src/cli/main.ts'); await main(['node', 'sdc', ...process.argv.slice(1)]);";
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout?.setEncoding('utf8').on('data', (text: string) => (out += text));
  child.stderr?.setEncoding('utf8').on('data', (text: string) => (err += text));
  const exited = new Promise<number | string>((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  return {
    child,
    pid: child.pid ?? -1,
    stdout: () => out,
    stderr: () => err,
    exited,
    async waitFor(text, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      let ended = false;
      void exited.then(() => (ended = true));
      while (!(typeof text === 'string' ? out.includes(text) : text.test(out))) {
        if (ended) throw new Error(`sdc ${args.join(' ')} ended before printing ${String(text)}:\n${out}\n${err}`);
        if (Date.now() > deadline) throw new Error(`sdc ${args.join(' ')} did not print ${String(text)} within ${timeoutMs} ms:\n${out}\n${err}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
  };
}

/** A triggering SDC in the test process, on PostgreSQL + RabbitMQ, whose jobs `sdc worker` children run. */
export interface WorkerTestBed {
  sdc: Sdc;
  dataDir: string;
  /** The file the fixture processors append a line to per run. */
  ledger: string;
  /** The environment of the child processes: the configuration file and the ledger variable. */
  env: Record<string, string>;
  /** Starts `sdc <args>` as a child that the bed kills (SIGKILL) if still running at `close`. */
  start(args: string[]): SdcProcess;
  close(): Promise<void>;
}

/**
 * Provisions a database and vhost, writes a configuration file for `mission` with the given
 * processing options, and opens an SDC that only turns arrivals into jobs (and declares every job
 * queue): the children started through the bed run them.
 */
export async function openWorkerTestBed(options: { backend: Backend; mission: string; processing: Record<string, unknown>; ledgerVariable: string; env?: Record<string, string> }): Promise<WorkerTestBed> {
  const resources = await options.backend.provision();
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'sdc-workers-'));
  const ledger = path.join(dataDir, 'ledger.txt');
  const config = { ...resources.config, dataDir, mission: options.mission, ingest: { stableMs: 0 }, processing: { retryDelaysMs: [500], debounceMs: 0, ...options.processing }, log: { level: 'warn' } };
  const file = path.join(dataDir, 'sdc.config.yaml');
  await writeFile(file, stringify(config));
  const env = { SDC_CONFIG: file, [options.ledgerVariable]: ledger, ...options.env };
  const sdc = await openSdc(await loadConfig({ env: {}, file }), { logger: quietLogger() });
  await sdc.startProcessing([], { triggers: true });
  const children: SdcProcess[] = [];
  return {
    sdc,
    dataDir,
    ledger,
    env,
    start(args) {
      const child = startSdc(args, env);
      children.push(child);
      return child;
    },
    async close() {
      for (const child of children) if (child.child.exitCode === null) child.child.kill('SIGKILL');
      await sdc.stop();
      await resources.release();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
