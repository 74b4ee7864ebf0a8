import type { Command } from 'commander';
import { parseProcessorRef, scopesOfPromotion } from '../../jobs/campaign-scopes.js';
import { previewRebuild } from '../../jobs/rebuild-preview.js';
import { SdcError } from '../../errors/sdc-error.js';
import type { Deployment } from '../../processors/processor-registry.js';
import { withSdc } from '../cli-context.js';
import { parseTier } from '../option-parsers.js';
import { printRebuildPreview } from '../rebuild-preview-output.js';
import { textTable } from '../text-table.js';
import { registerProcessorDiffCommand } from './processor-diff-command.js';

const actor = () => process.env.SDC_ACTOR ?? process.env.USER ?? 'cli';

/** `sdc processor deploy|promote|rollback|list|diff`: processor versions per tier. */
export function registerProcessorCommand(program: Command): void {
  const processor = program.command('processor').description('processor versions per tier: deploy to staging, compare, promote, roll back');
  processor
    .command('deploy')
    .description('record a bundle (folder with processor.yaml) and make it the active version of a tier; staging runs beside production on the same arrivals and is never released')
    .argument('<bundle>', 'the bundle folder')
    .option('--tier <tier>', 'staging or production', parseTier, 'staging' as const)
    .action(async (bundle: string, options: { tier: 'production' | 'staging' }, command: Command) =>
      withSdc(command, {}, async (sdc) => {
        const d = await sdc.processors.deploy(bundle, options.tier, actor());
        console.log(`${d.name}@${d.version} is the active ${d.tier} version (bundle sha256 ${d.bundleSha256.slice(0, 12)}, ${d.bundle.folder})`);
      }),
    );
  processor
    .command('promote')
    .description('make a deployed version the production version (what runs next); --dry-run previews what it would rebuild')
    .argument('<name@version>', 'e.g. fgm-l2@5.0.0')
    .option('--dry-run', 'show which jobs and files the new version would rebuild (scopes last processed by another version, and downstream); change nothing')
    .option('--json', 'the dry run as JSON')
    .action(async (ref: string, options: { dryRun?: boolean; json?: boolean }, command: Command) =>
      withSdc(command, {}, async (sdc) => {
        const { name, version } = parseProcessorRef(ref);
        if (!options.dryRun) {
          const d = await sdc.processors.promote(name, version, actor());
          console.log(`${d.name}@${d.version} is the production version; new jobs run it (rebuild history with \`sdc reprocess --processor ${d.name}@${d.version} ...\`)`);
          return;
        }
        const pin = (await sdc.processors.list()).find((d: Deployment) => d.name === name && d.version === version);
        if (!pin) throw new SdcError('not-found', `${name}@${version} is not deployed; deploy it to staging first`, { name, version });
        const scopes = await scopesOfPromotion(sdc.catalog.db, sdc.mission, { name, version });
        const preview = await previewRebuild({ db: sdc.catalog.db, mission: sdc.mission, processors: sdc.processors }, scopes, { pin: { ...pin, tier: 'production' }, checkReadiness: true, identityTier: 'production' });
        printRebuildPreview(preview, options.json === true);
      }),
    );
  processor
    .command('rollback')
    .description('return production to the version the current one replaced')
    .argument('<name>', 'processor name')
    .action(async (name: string, _options: unknown, command: Command) =>
      withSdc(command, {}, async (sdc) => {
        const d = await sdc.processors.rollback(name, actor());
        console.log(`${d.name}@${d.version} is the production version again`);
      }),
    );
  processor
    .command('list')
    .description('every deployment, newest first per processor; * marks the active version of its tier')
    .option('--json', 'JSON lines')
    .action(async (options: { json?: boolean }, command: Command) =>
      withSdc(command, {}, async (sdc) => {
        const all = await sdc.processors.list();
        if (options.json) {
          for (const d of all) console.log(JSON.stringify({ id: d.id, name: d.name, version: d.version, tier: d.tier, active: d.active, instrument: d.bundle.manifest.instrument, bundle: d.bundle.folder, bundleSha256: d.bundleSha256, deployedAt: d.deployedAt, deployedBy: d.deployedBy, retiredAt: d.retiredAt }));
          return;
        }
        console.log(textTable(['', 'name', 'version', 'tier', 'instrument', 'deployed', 'by', 'retired', 'bundle sha256'],
          all.map((d) => [d.active ? '*' : '', d.name, d.version, d.tier, d.bundle.manifest.instrument, d.deployedAt.toISOString(), d.deployedBy, d.retiredAt ? new Date(d.retiredAt).toISOString() : '', d.bundleSha256.slice(0, 12)])));
      }),
    );
  registerProcessorDiffCommand(processor);
}
