import type { Command } from 'commander';
import { Presets, SingleBar } from 'cli-progress';
import { withSdc } from '../cli-context.js';

/** `sdc backup [--target NAME]`: copies every file not yet backed up to each target (or one), with progress. */
export function registerBackupCommand(program: Command): void {
  program
    .command('backup')
    .description('back up every catalogued file, processor bundle and mission configuration file not yet in a backup target (each target, or --target), verified, with a manifest per run; safe to re-run after a crash')
    .option('-t, --target <name>', 'only this target')
    .option('-c, --concurrency <n>', 'files copied at once (default: archive.concurrency, 4)')
    .action(async (options: { target?: string; concurrency?: string }, command: Command) => {
      const overrides = options.concurrency === undefined ? {} : { archive: { concurrency: Number(options.concurrency) } };
      const results = await withSdc(command, overrides, async (sdc) => {
        const archive = await sdc.openArchive();
        const bar = new SingleBar({ format: 'backup {target} [{bar}] {value}/{total} files  {mb} MB  {eta_formatted} left', stream: process.stderr }, Presets.shades_classic);
        let current: string | undefined;
        const out = await archive.backup(options.target, (target, p) => {
          if (!process.stderr.isTTY) return;
          if (current !== target) {
            if (current) bar.stop();
            bar.start(p.total, 0, { target, mb: '0' });
            current = target;
          }
          // The total grows once the run knows how many bundle and configuration files the target lacks.
          if (p.total !== bar.getTotal()) bar.setTotal(p.total);
          bar.update(p.done, { target, mb: (p.bytes / 1e6).toFixed(1) });
        });
        bar.stop();
        return out;
      });
      for (const r of results) {
        console.log(`${r.target}: ${r.files} files, ${(r.bytes / 1e6).toFixed(1)} MB, ${r.systemItems} bundle and configuration files backed up, ${r.failed.length} failed; manifest ${r.manifestKey}`);
        for (const f of r.failed) console.log(`  failed ${f.fileName}: ${f.error.message}`);
      }
      if (results.some((r) => r.failed.length > 0)) process.exitCode = 1;
    });
}
