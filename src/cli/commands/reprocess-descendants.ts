import path from 'node:path';
import type { Command } from 'commander';
import type { Sdc } from '../../app/open-sdc.js';
import { SdcError } from '../../errors/sdc-error.js';
import { createDescendantCampaign, descendantReport, planDescendantReprocessing } from '../../provenance/descendant-reprocessing.js';
import { ProvenanceService } from '../../provenance/provenance-service.js';
import { withSdc } from '../cli-context.js';
import { parsePositiveInteger } from '../option-parsers.js';
import { printRebuildPreview } from '../rebuild-preview-output.js';

export interface DescendantsOptions {
  rate: number;
  description?: string;
  dryRun?: boolean;
  json?: boolean;
  processor?: string;
  tier?: 'production' | 'staging';
}

/**
 * `sdc reprocess --descendants-of FILE`: everything derived from a bad input is marked and a
 * campaign re-runs the jobs that read it (their new outputs trigger the levels below). With
 * --dry-run, only the plan and the preview.
 */
export async function reprocessDescendants(sdc: Sdc, file: string, options: DescendantsOptions, actor: string): Promise<void> {
  const bad = await new ProvenanceService(sdc.catalog.db, sdc.mission).fileNamed(path.basename(file));
  const plan = await planDescendantReprocessing(sdc.catalog.db, sdc.mission, bad);
  if (plan.scopes.length === 0) throw new SdcError('invalid-request', `nothing in the catalog was derived from ${bad.name}`, { fileName: bad.name });
  const say = (line: string) => (options.json ? console.error(line) : console.log(line));
  say(`${bad.name}: ${plan.descendants.length} files derived from it (to any depth), read directly by ${plan.scopes.length} job scope(s)`);
  for (const f of plan.descendants) say(`  ${f.name}`);
  say(plan.replacement
    ? `its newer version ${plan.replacement} will be used`
    : `warning: no newer version of ${bad.name} is catalogued: the rebuilt jobs would find the same inputs and be skipped as unchanged; ingest the corrected file first (or pin another processor version)`);
  if (options.dryRun) {
    printRebuildPreview(await sdc.campaigns.preview(plan.scopes), options.json === true);
    return;
  }
  const campaign = await createDescendantCampaign(sdc.campaigns, plan, {
    description: options.description ?? `regenerate what was derived from ${bad.name}`,
    ...(options.processor ? { processor: options.processor } : {}),
    ...(options.tier ? { tier: options.tier } : {}),
    ratePerMinute: options.rate,
    createdBy: actor,
    selection: { descendantsOf: bad.name, sha256: bad.sha256, descendants: plan.descendants.length },
  });
  if (options.json) console.log(JSON.stringify({ campaign, marked: plan.descendants.map((f) => f.name) }));
  else console.log(`campaign ${campaign.id}: ${campaign.items} job(s) to queue at ${campaign.ratePerMinute}/min; ${plan.descendants.length} files marked. \`sdc reprocess changes ${campaign.id}\` reports what changed.`);
}

/** `sdc reprocess changes ID`: what a descendants campaign changed so far. */
export function registerReprocessChangesCommand(reprocess: Command): void {
  reprocess
    .command('changes')
    .description('what a --descendants-of campaign changed: each marked file and the version that replaced it (or that it still waits)')
    .argument('<id>', 'campaign id', parsePositiveInteger)
    .option('--json', 'JSON output')
    .action(async (id: number, options: { json?: boolean }, command: Command) =>
      withSdc(command, {}, async (sdc) => {
        const report = await descendantReport(sdc.catalog.db, id);
        if (!report) throw new SdcError('not-found', `campaign ${id} marked no files (it was not created with --descendants-of)`, { campaignId: id });
        if (options.json) {
          console.log(JSON.stringify(report));
          return;
        }
        console.log(`campaign ${id}, files derived from ${report.badFile}: ${report.replaced} replaced (${report.identical} with identical bytes), ${report.waiting} waiting`);
        for (const c of report.changes) console.log(`  ${c.state === 'replaced' ? `${c.name} -> ${c.newVersion}${c.identical ? ' (identical bytes)' : ''}` : `${c.name} (waiting)`}`);
      }),
    );
}
