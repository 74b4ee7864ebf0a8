import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { SingleBar, Presets } from 'cli-progress';
import type { IngestOutcome } from '../../ingest/ingest-service.js';
import { withSdc } from '../cli-context.js';

/** `sdc ingest PATH...`: ingests files (folders recursively) once, with progress and a summary. */
export function registerIngestCommand(program: Command): void {
  program
    .command('ingest')
    .description('ingest files or folders (recursively) into the store and catalog, announcing each on the bus; sources are left in place')
    .argument('<paths...>', 'files or folders')
    .option('--batch <n>', 'files recorded per catalog transaction', (v) => Number.parseInt(v, 10), 100)
    .action(async (paths: string[], options: { batch: number }, command: Command) => {
      const files = (await Promise.all(paths.map(listFiles))).flat();
      const counts = await withSdc(command, {}, async (sdc) => {
        const bar = new SingleBar({ format: 'ingest [{bar}] {value}/{total} files  {eta_formatted} left', stream: process.stderr }, Presets.shades_classic);
        if (process.stderr.isTTY) bar.start(files.length, 0);
        const outcomes: IngestOutcome[] = [];
        for (let i = 0; i < files.length; i += options.batch) {
          const batch = files.slice(i, i + options.batch);
          const results = await sdc.ingest.ingestMany(batch.map((file) => ({ path: file, name: path.basename(file), source: 'drop' as const, keepSource: true })));
          results.forEach((outcome, j) => outcome.status === 'quarantined' && console.log(`quarantined ${path.basename(batch[j]!)}: ${outcome.reason}`));
          outcomes.push(...results);
          if (process.stderr.isTTY) bar.increment(batch.length);
          else console.error(`${outcomes.length}/${files.length} files`);
        }
        bar.stop();
        await sdc.relay.flush();
        return tally(outcomes);
      });
      console.log(`${counts.ingested} ingested, ${counts.duplicate} duplicates, ${counts.quarantined} quarantined`);
      if (counts.quarantined > 0) process.exitCode = 1;
    });
}

function tally(outcomes: IngestOutcome[]): Record<IngestOutcome['status'], number> {
  const counts = { ingested: 0, duplicate: 0, quarantined: 0 };
  for (const o of outcomes) counts[o.status]++;
  return counts;
}

async function listFiles(target: string): Promise<string[]> {
  const info = await stat(target);
  if (info.isFile()) return [target];
  const entries = await readdir(target, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name)).sort();
}
