import { Option, type Command } from 'commander';
import { RESTORE_TIERS, type RestoreTier } from '../../archive/targets/backup-target.js';
import { findFileByName, searchFiles } from '../../catalog/file-catalog.js';
import { SdcError } from '../../errors/sdc-error.js';
import { withSdc } from '../cli-context.js';

interface RestoreOptions {
  product?: string;
  from?: string;
  to?: string;
  all?: boolean;
  target?: string;
  tier?: RestoreTier;
  system?: boolean;
  bundle?: string;
  into?: string;
}

/** `sdc restore FILE... | --product P --from --to | --all`: puts verified backup copies back into the hot store. */
export function registerRestoreCommand(program: Command): void {
  program
    .command('restore')
    .description('restore files from a backup target into the hot store; every byte is verified against the catalog first; cold copies are requested, then completed by a later run')
    .argument('[names...]', 'file names')
    .option('--product <product>', 'every version of a product over --from/--to')
    .option('--from <time>', 'start of the interval (ISO 8601)')
    .option('--to <time>', 'end of the interval (ISO 8601)')
    .option('--all', 'every catalogued file')
    .option('-t, --target <name>', 'restore from this target only')
    .addOption(new Option('--tier <tier>', "cold restore tier (default: the target's restoreTier)").choices(RESTORE_TIERS))
    .option('--system', 'restore every processor bundle and the mission configuration files (into --into)')
    .option('--bundle <name@version>', 'restore one processor bundle (into --into)')
    .option('--into <dir>', 'folder for --system / --bundle: processors/<name>@<version>/ and mission/ (never the live mission folder)')
    .action(async (names: string[], options: RestoreOptions, command: Command) => {
      if (options.system || options.bundle) return restoreSystem(options, command);
      const counts = await withSdc(command, {}, async (sdc) => {
        const archive = await sdc.openArchive();
        const mission = sdc.mission.config.id;
        const files = options.all
          ? await sdc.catalog.db.selectFrom('files').selectAll().where('mission', '=', mission).orderBy('id').execute()
          : options.product
            ? await searchFiles(sdc.catalog.db, { mission, product: options.product, from: parseTime(options.from), to: parseTime(options.to) })
            : await Promise.all(names.map(async (name) => (await findFileByName(sdc.catalog.db, mission, name)) ?? notFound(name)));
        if (files.length === 0) throw new SdcError('invalid-request', 'nothing to restore: give file names, --product, or --all');
        const targets = options.target ? [archive.target(options.target)] : archive.targets;
        const counts = { restored: 0, pending: 0, failed: 0 };
        for (const file of files) {
          try {
            const outcome = await archive.restores.restore(file, targets, options.tier);
            console.log(`${file.name}: ${outcome.status} (${outcome.target})`);
            counts[outcome.status === 'restored' ? 'restored' : 'pending']++;
          } catch (error) {
            console.log(`${file.name}: failed: ${(error as Error).message}`);
            counts.failed++;
          }
        }
        return counts;
      });
      console.log(`${counts.restored} restored, ${counts.pending} waiting for a cold restore (run again later), ${counts.failed} failed`);
      if (counts.failed > 0) process.exitCode = 1;
    });
}

/** `--system` / `--bundle`: bundles and mission configuration into a folder, verified file by file. */
async function restoreSystem(options: RestoreOptions, command: Command): Promise<void> {
  if (!options.into) throw new SdcError('invalid-request', '--system and --bundle need --into <dir>: system items are never restored over the live mission folder');
  const into = options.into;
  const result = await withSdc(command, {}, async (sdc) => (await sdc.openArchive()).restoreSystem(into, { target: options.target, tier: options.tier, bundle: options.bundle }));
  for (const f of result.failed) console.log(`${f.key}: failed: ${f.error.message}`);
  console.log(`${result.restored.length} restored into ${into}, ${result.pending.length} waiting for a cold restore (run again later), ${result.failed.length} failed`);
  if (result.failed.length > 0) process.exitCode = 1;
}

function parseTime(value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const time = new Date(value);
  if (Number.isNaN(time.getTime())) throw new SdcError('invalid-request', `not an ISO 8601 time: '${value}'`);
  return time;
}

function notFound(name: string): never {
  throw new SdcError('not-found', `no catalogued file named '${name}'`, { fileName: name });
}
