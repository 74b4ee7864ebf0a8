import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ProcessLauncher } from './process-launcher.js';

const LAUNCHER = path.resolve('src/processors/process-launcher.ts');

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('ProcessLauncher', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'sdc-launcher-'));
  });
  afterEach(async () => rm(dir, { recursive: true, force: true }));

  it('runs several processors at once from its child process and returns each one its own result', async () => {
    const launcher = new ProcessLauncher();
    const results = await Promise.all([1, 2, 3].map((n) => launcher.run({ command: ['sh', '-c', `sleep 0.2; echo "run $N in $(pwd)"; exit $N`], cwd: dir, env: { N: String(n) }, timeoutMs: 10_000 })));
    expect(results.map((r) => r.exitCode)).toEqual([1, 2, 3]);
    expect(results.map((r) => r.log.trim())).toEqual([1, 2, 3].map((n) => `run ${n} in ${dir}`));
  });

  it('when closed, then its child exits, and a later run starts a new one', async () => {
    const launcher = new ProcessLauncher();
    const parentOf = async () => Number((await launcher.run({ command: ['sh', '-c', 'echo $PPID'], cwd: dir, env: {}, timeoutMs: 10_000 })).log.trim());
    const first = await parentOf();
    expect(alive(first)).toBe(true);
    await launcher.close();
    expect(alive(first)).toBe(false);
    const second = await parentOf();
    expect(second).not.toBe(first);
    await launcher.close();
    expect(alive(second)).toBe(false);
  });

  it('when the process that owns the launcher is killed with SIGKILL, then the processors it started are killed too', async () => {
    const pidFile = path.join(dir, 'pid');
    // The owner: a separate process (the test must survive the kill) that starts a long processor.
    const owner = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', `
      const { ProcessLauncher } = await import(${JSON.stringify(LAUNCHER)});
      void new ProcessLauncher().run({ command: ['sh', '-c', 'echo $$ > ${pidFile}; exec sleep 60'], cwd: ${JSON.stringify(dir)}, env: {}, timeoutMs: 120000 });
      setInterval(() => {}, 1000);
    `], { stdio: 'ignore' });
    let pid = 0;
    for (let i = 0; i < 300 && !pid; i++) {
      await sleep(100);
      pid = Number((await readFile(pidFile, 'utf8').catch(() => '')).trim());
    }
    expect(alive(pid)).toBe(true);
    owner.kill('SIGKILL');
    for (let i = 0; i < 100 && alive(pid); i++) await sleep(100);
    expect(alive(pid)).toBe(false);
  });
});
