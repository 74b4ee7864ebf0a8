import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { fork, type ChildProcess } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { FuzzOutcome } from './fuzz-worker.js';

const FIXTURES = fileURLToPath(new URL('../../fixtures/cdf/', import.meta.url));
/** Fixed so that CI always tries the same cases; CDF_FUZZ_SEED explores others locally. */
const SEED = Number(process.env.CDF_FUZZ_SEED ?? 20_240_601);
const TRUNCATIONS_PER_FILE = 12;
const FLIPS_PER_FILE = 14;
/** A case that takes longer than this is a hang. */
const CASE_TIMEOUT_MS = 5_000;

interface Case {
  readonly label: string;
  readonly bytes: Uint8Array;
}

/** Deterministic PRNG (mulberry32) so every run tries the same cases. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function casesFor(file: string, random: () => number): Case[] {
  const original = new Uint8Array(readFileSync(FIXTURES + file));
  const cases: Case[] = [];
  for (let i = 0; i < TRUNCATIONS_PER_FILE; i++) {
    const length = Math.floor(random() * original.length);
    cases.push({ label: `${file} truncated to ${length} bytes`, bytes: original.slice(0, length) });
  }
  for (let i = 0; i < FLIPS_PER_FILE; i++) {
    const bytes = original.slice();
    // Most flips hit the first 4 KiB, where the descriptors and chains of small files live.
    const region = random() < 0.7 ? Math.min(4096, bytes.length) : bytes.length;
    const flips = 1 + Math.floor(random() * 4);
    const positions: number[] = [];
    for (let f = 0; f < flips; f++) {
      const at = Math.floor(random() * region);
      bytes[at] = bytes[at]! ^ (1 + Math.floor(random() * 255));
      positions.push(at);
    }
    cases.push({ label: `${file} with bytes ${positions.join(', ')} changed`, bytes });
  }
  return cases;
}

/** Runs cases one by one in a child process; a case that does not answer in time is a hang. */
async function runCases(cases: readonly Case[]): Promise<Array<FuzzOutcome & { label: string }>> {
  const results: Array<FuzzOutcome & { label: string }> = [];
  let worker = startWorker();
  for (const [id, testCase] of cases.entries()) {
    const outcome = await new Promise<FuzzOutcome>((resolve) => {
      const timer = setTimeout(() => resolve({ id, outcome: 'untyped-error', detail: `hang: no answer in ${CASE_TIMEOUT_MS} ms` }), CASE_TIMEOUT_MS);
      const done = (result: FuzzOutcome): void => {
        clearTimeout(timer);
        worker.off('message', done);
        worker.off('exit', crashed);
        resolve(result);
      };
      const crashed = (code: number | null, signal: string | null): void =>
        done({ id, outcome: 'untyped-error', detail: `process died (exit ${code}, signal ${signal})` });
      worker.on('message', done);
      worker.once('exit', crashed);
      worker.send({ id, bytes: testCase.bytes });
    });
    if (outcome.outcome === 'untyped-error') {
      stop(worker);
      worker = startWorker();
    }
    results.push({ ...outcome, label: testCase.label });
  }
  stop(worker);
  return results;
}

function startWorker(): ChildProcess {
  return fork(fileURLToPath(new URL('./fuzz-worker.ts', import.meta.url)), [], {
    execArgv: ['--import', 'tsx', '--max-old-space-size=1024'],
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
}

function stop(worker: ChildProcess): void {
  worker.removeAllListeners('exit');
  worker.kill('SIGKILL');
}

describe('corrupted and truncated samples', () => {
  it('end every case in a typed error or in data, never in a hang, a crash or an untyped error', async () => {
    const random = prng(SEED);
    const files = readdirSync(FIXTURES).filter((f) => f.endsWith('.cdf')).sort();
    const cases = files.flatMap((file) => casesFor(file, random));
    expect(cases.length).toBeGreaterThanOrEqual(400);
    const results = await runCases(cases);
    const failures = results.filter((r) => r.outcome === 'untyped-error').map((r) => `${r.label}: ${r.detail}`);
    expect(failures).toEqual([]);
    const typed = results.filter((r) => r.outcome === 'typed-error');
    expect(typed.length).toBeGreaterThan(cases.length / 3);
  }, 240_000);
});
