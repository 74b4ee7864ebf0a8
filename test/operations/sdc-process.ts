import { spawn, type ChildProcess } from 'node:child_process';

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
