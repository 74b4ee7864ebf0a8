import { vi } from 'vitest';
import { main } from '../../src/cli/main.js';

/** What one in-process `sdc` command printed, and its exit code. */
export interface CliResult {
  out: string;
  err: string;
  code: number;
}

/**
 * Runs `sdc --config FILE ...args` in this process as a user's shell would, capturing what it
 * prints on the console and the exit code it sets (then clears it, so the test run's own code stays).
 */
export async function runCli(configFile: string, args: string[]): Promise<CliResult> {
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((text: string) => void out.push(text));
  vi.spyOn(console, 'error').mockImplementation((text: string) => void err.push(String(text)));
  process.exitCode = undefined;
  try {
    await main(['node', 'sdc', '--config', configFile, ...args]);
    return { out: out.join('\n'), err: err.join('\n'), code: Number(process.exitCode ?? 0) };
  } finally {
    process.exitCode = undefined;
    vi.restoreAllMocks();
  }
}
