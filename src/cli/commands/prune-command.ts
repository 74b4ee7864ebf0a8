import type { Command } from 'commander';
import { withSdc } from '../cli-context.js';

/** `sdc prune [--dry-run]`: retention of superseded versions in the hot store. */
export function registerPruneCommand(program: Command): void {
  program
    .command('prune')
    .description('remove from the hot store the superseded versions older than archive.retention.pruneSupersededAfterDays whose copy verifies in every backup target (never the newest)')
    .option('--dry-run', 'list what would be removed')
    .action(async (options: { dryRun?: boolean }, command: Command) => {
      const result = await withSdc(command, {}, async (sdc) => (await sdc.openArchive()).prune({ dryRun: options.dryRun }));
      for (const p of result.pruned) console.log(`${options.dryRun ? 'would prune' : 'pruned'} ${p.name}`);
      for (const k of result.kept) console.log(`kept ${k.name}: ${k.reason}`);
      console.log(`${result.pruned.length} ${options.dryRun ? 'to prune' : 'pruned'}, ${result.kept.length} kept`);
    });
}
