import type { Command } from 'commander';
import { searchFiles } from '../../catalog/file-catalog.js';
import { fileJson } from '../../api/file-json.js';
import { withSdc } from '../cli-context.js';

interface FilesOptions {
  product?: string;
  spacecraft?: string;
  instrument?: string;
  mode?: string;
  level?: string;
  from?: string;
  to?: string;
  allVersions?: boolean;
  staging?: boolean;
  limit: number;
  json?: boolean;
}

/** `sdc files`: searches the catalog. */
export function registerFilesCommand(program: Command): void {
  program
    .command('files')
    .description('search the catalog (newest version of each file unless --all-versions)')
    .option('--product <id>', 'product id')
    .option('--spacecraft <list>', 'comma list of spacecraft ids')
    .option('--instrument <list>', 'comma list')
    .option('--mode <list>', 'comma list of data rate modes')
    .option('--level <list>', 'comma list of levels')
    .option('--from <time>', 'ISO time: files overlapping [from, to)')
    .option('--to <time>', 'ISO time')
    .option('--all-versions', 'every version, not only the newest')
    .option('--staging', 'the staging tier instead of production')
    .option('--limit <n>', 'at most this many', (v) => Number.parseInt(v, 10), 1000)
    .option('--json', 'JSON lines instead of a table')
    .action(async (options: FilesOptions, command: Command) => {
      const list = (v?: string) => v?.split(',').map((s) => s.trim()).filter(Boolean);
      await withSdc(command, {}, async (sdc) => {
        const files = await searchFiles(sdc.catalog.db, {
          mission: sdc.mission.config.id,
          tier: options.staging ? 'staging' : 'production',
          product: options.product,
          spacecraft: list(options.spacecraft),
          instrument: list(options.instrument),
          mode: list(options.mode),
          level: list(options.level),
          from: options.from ? new Date(options.from) : undefined,
          to: options.to ? new Date(options.to) : undefined,
          latestOnly: !options.allVersions,
          limit: options.limit,
        });
        for (const file of files) {
          console.log(options.json ? JSON.stringify(fileJson(file)) : `${file.name}\t${file.size}\t${file.start_time.toISOString()}\t${file.sha256.slice(0, 12)}`);
        }
        if (!options.json) console.error(`${files.length} files`);
      });
    });
}
