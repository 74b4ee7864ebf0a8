import { cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Sdc } from '../../src/app/open-sdc.js';

/** The chain test mission: RAW + GAIN -> CAL (rule calibrate, mag-cal) -> SUM (rule summarise, mag-sum). */
export const CHAIN = path.resolve('test/fixtures/missions/chain');

/** Ingests text files of the chain mission, as drop-folder arrivals. */
export async function arrive(sdc: Sdc, dir: string, files: Record<string, string>): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) {
    await writeFile(path.join(dir, name), text);
    const outcome = await sdc.ingest.ingest({ path: path.join(dir, name), name, source: 'drop' });
    if (outcome.status === 'quarantined') throw new Error(`${name} was quarantined`);
  }
}

/** A copy of a chain processor bundle under another version (a new release of the team's code). */
export async function bundleVersion(dir: string, processor: string, version: string): Promise<string> {
  const folder = path.join(dir, `${processor}-${version}`);
  await cp(path.join(CHAIN, 'processors', processor), folder, { recursive: true });
  const manifest = path.join(folder, 'processor.yaml');
  await writeFile(manifest, (await readFile(manifest, 'utf8')).replace(/^version: .*$/m, `version: ${version}`));
  return folder;
}
