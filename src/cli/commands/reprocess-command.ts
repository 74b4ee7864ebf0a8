import path from 'node:path';
import type { Command } from 'commander';
import { SdcError } from '../../errors/sdc-error.js';
import { scopesOfNewFile } from '../../jobs/campaign-scopes.js';
import type { CampaignProgress } from '../../jobs/campaign-service.js';
import { previewRebuild } from '../../jobs/rebuild-preview.js';
import { withSdc } from '../cli-context.js';
import { parsePositiveInteger, parsePositiveNumber, parseTier, parseTime } from '../option-parsers.js';
import { printRebuildPreview } from '../rebuild-preview-output.js';
import { textTable } from '../text-table.js';
import { registerReprocessChangesCommand, reprocessDescendants } from './reprocess-descendants.js';

interface ReprocessOptions {
  instrument?: string;
  level?: string;
  from?: Date;
  to?: Date;
  processor?: string;
  tier?: 'production' | 'staging';
  rate: number;
  description?: string;
  dryRun?: boolean;
  newFile?: string;
  descendantsOf?: string;
  json?: boolean;
}

const actor = () => process.env.SDC_ACTOR ?? process.env.USER ?? 'cli';

/**
 * `sdc reprocess`: creates a reprocessing campaign (or previews it with --dry-run, or previews
 * what a new file would re-trigger), and `status`, `pause`, `resume`, `cancel` campaigns.
 */
export function registerReprocessCommand(program: Command): void {
  const reprocess = program
    .command('reprocess')
    .description('rebuild a product over a date range as a campaign: jobs queued at a bounded rate below live work by the processing process, surviving restarts; see `reprocess status|pause|resume|cancel`')
    .option('--instrument <id>', 'instrument of the products to rebuild')
    .option('--level <id>', 'level of the products to rebuild')
    .option('--from <date>', 'first day (ISO date, UTC)', parseTime)
    .option('--to <date>', 'end (exclusive; ISO date, UTC)', parseTime)
    .option('--processor <name@version>', 'run this deployed version (default: each rule\'s production version)')
    .option('--tier <tier>', 'with --processor: the tier whose active version it is (default production when active there)', parseTier)
    .option('--rate <jobs/min>', 'jobs queued per minute at most', parsePositiveNumber, 60)
    .option('--description <text>', 'what the campaign is for')
    .option('--dry-run', 'show what would be rebuilt (jobs and files per rule and product, downstream included); queue nothing')
    .option('--new-file <file>', 'preview what a new file (e.g. a calibration; a path or a name, not yet ingested) would re-trigger; queue nothing')
    .option('--descendants-of <file>', 'regenerate everything derived (to any depth) from a bad input, e.g. a wrong calibration: marks those files and re-runs the jobs that read it; see `reprocess changes`')
    .option('--json', 'JSON output')
    .addHelpText('after', '\nExample:\n  sdc reprocess --instrument fgm --level l2 --from 2015-09-01 --to 2016-03-01 --processor fgm-l2@5.0.0 --rate 30 --dry-run')
    .action(async (options: ReprocessOptions, command: Command) =>
      withSdc(command, {}, async (sdc) => {
        const deps = { db: sdc.catalog.db, mission: sdc.mission, processors: sdc.processors };
        if (options.newFile) {
          const parsed = sdc.mission.grammar.parse(path.basename(options.newFile));
          const scopes = await scopesOfNewFile(sdc.catalog.db, sdc.mission, parsed);
          console.error(`${parsed.fileName} would re-trigger ${scopes.length} job scope(s) directly:`);
          printRebuildPreview(await previewRebuild(deps, scopes, { checkReadiness: false }), options.json === true);
          return;
        }
        if (options.descendantsOf) {
          await reprocessDescendants(sdc, options.descendantsOf, options, actor());
          return;
        }
        if (!options.from || !options.to) throw new SdcError('invalid-request', 'a campaign needs --from and --to (or --new-file with --dry-run)');
        const selection = { instrument: options.instrument, level: options.level, from: options.from, to: options.to, processor: options.processor, tier: options.tier };
        const { scopes, pin } = await sdc.campaigns.planRange(selection);
        if (options.dryRun) {
          printRebuildPreview(await sdc.campaigns.preview(scopes, pin), options.json === true);
          return;
        }
        const description = options.description ?? `reprocess ${[options.instrument, options.level].filter(Boolean).join(' ') || options.processor} ${options.from.toISOString().slice(0, 10)}..${options.to.toISOString().slice(0, 10)}`;
        const campaign = await sdc.campaigns.create({
          description, scopes, ...(options.processor ? { processor: options.processor } : {}), ...(options.tier ? { tier: options.tier } : {}),
          ratePerMinute: options.rate, createdBy: actor(),
          selection: { ...selection, from: options.from.toISOString(), to: options.to.toISOString() },
        });
        if (options.json) console.log(JSON.stringify(campaign));
        else console.log(`campaign ${campaign.id}: ${campaign.items} jobs to queue at ${campaign.ratePerMinute}/min (${campaign.processor ?? 'production versions'}); the processing process pumps it. Follow it with \`sdc reprocess status ${campaign.id}\``);
      }),
    );
  reprocess
    .command('status')
    .description('progress of a campaign (done, failed, remaining, ETA), or of the running and paused ones')
    .argument('[id]', 'campaign id', parsePositiveInteger)
    .option('--all', 'every campaign, finished ones too')
    .option('--json', 'JSON lines')
    .action(async (id: number | undefined, _options: unknown, command: Command) =>
      withSdc(command, {}, async (sdc) => {
        // With the parent's options: `reprocess` has its own --json, which commander gives it.
        const options = command.optsWithGlobals<{ all?: boolean; json?: boolean }>();
        const list = id === undefined ? await sdc.campaigns.list({ all: options.all === true }) : [await sdc.campaigns.status(id)];
        if (options.json) {
          for (const c of list) console.log(JSON.stringify(c));
          return;
        }
        if (list.length === 0) {
          console.log(options.all ? 'no campaigns' : 'no running or paused campaigns (--all for finished ones)');
          return;
        }
        console.log(textTable(['id', 'state', 'processor', 'rate/min', 'jobs', 'done', 'failed', 'in flight', 'pending', 'skipped', 'cancelled', 'ETA', 'downstream done/failed/in flight', 'description'], list.map(statusRow)));
      }),
    );
  registerReprocessChangesCommand(reprocess);
  for (const [verb, help] of [['pause', 'stop queuing a running campaign (jobs already queued still run)'], ['resume', 'resume a paused campaign'], ['cancel', 'cancel a campaign: its pending jobs are never queued (jobs already queued still run)']] as const) {
    reprocess
      .command(verb)
      .description(help)
      .argument('<id>', 'campaign id', parsePositiveInteger)
      .action(async (id: number, _options: unknown, command: Command) =>
        withSdc(command, {}, async (sdc) => {
          const c = await sdc.campaigns[verb](id);
          console.log(`campaign ${c.id} is ${c.state}: ${c.done} done, ${c.failed} failed, ${c.remaining} remaining`);
        }),
      );
  }
}

function statusRow(c: CampaignProgress): (string | number)[] {
  return [c.id, c.state, c.processor ?? 'production', c.ratePerMinute, c.items, c.done, c.failed, c.inFlight, c.pending, c.skipped, c.cancelled, c.etaSeconds === null ? '-' : duration(c.etaSeconds), `${c.downstream.done}/${c.downstream.failed}/${c.downstream.inFlight}`, c.description];
}

/** `1d 2h`, `3h 4m`, `5m 6s`, `7s`: the largest unit and the next. */
export function duration(seconds: number): string {
  const units: [string, number][] = [['d', 86_400], ['h', 3_600], ['m', 60], ['s', 1]];
  const total = Math.max(0, Math.round(seconds));
  const first = units.findIndex(([, size]) => total >= size);
  if (first === -1 || first === units.length - 1) return `${total}s`;
  const [unit, size] = units[first]!;
  const [nextUnit, nextSize] = units[first + 1]!;
  return `${Math.floor(total / size)}${unit} ${Math.floor((total % size) / nextSize)}${nextUnit}`;
}
