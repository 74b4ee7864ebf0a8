/**
 * Test files for the archive suites: MMS definitive-attitude files (`MMS1_DEFATT_2015289_2015289.V00`),
 * whose content the mission does not inspect, ingested into a test SDC.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Sdc } from '../../src/app/open-sdc.js';

/** Name of the `index`-th attitude file (spacecraft and day vary), at a version. */
export function attitudeName(index: number, version = 0): string {
  const day = 100 + Math.floor(index / 4);
  return `MMS${(index % 4) + 1}_DEFATT_2015${day}_2015${day}.V${String(version).padStart(2, '0')}`;
}

/** Writes `count` files of `size` random bytes and ingests them; returns their names. */
export async function ingestAttitudeFiles(sdc: Sdc, dir: string, count: number, size = 2048, first = 0, version = 0): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const names: string[] = [];
  for (let i = first; i < first + count; i++) {
    const name = attitudeName(i, version);
    await writeFile(path.join(dir, name), randomBytes(size));
    names.push(name);
  }
  const outcomes = await sdc.ingest.ingestMany(names.map((name) => ({ path: path.join(dir, name), name, source: 'drop' as const, keepSource: true })));
  const bad = outcomes.filter((o) => o.status !== 'ingested');
  if (bad.length > 0) throw new Error(`test files not ingested: ${JSON.stringify(bad)}`);
  return names;
}
