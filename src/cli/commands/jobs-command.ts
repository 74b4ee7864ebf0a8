import type { Command } from 'commander';
import type { JobState } from '../../catalog/catalog-schema.js';
import { jobDetail, listJobs, type JobSummary } from '../../jobs/job-listing.js';
import { retryJob } from '../../jobs/job-retry.js';
import { withSdc } from '../cli-context.js';
import { parseJobStates, parsePositiveInteger, parseSince, parseTier } from '../option-parsers.js';
import { textTable } from '../text-table.js';

interface JobsOptions {
  state?: JobState[];
  processor?: string;
  tier?: 'production' | 'staging';
  instrument?: string;
  campaign?: number;
  since?: Date;
  limit: number;
  json?: boolean;
}

/** `sdc jobs`: lists jobs with filters; `sdc jobs show ID` (log, inputs, outputs); `sdc jobs retry ID`. */
export function registerJobsCommand(program: Command): void {
  const jobs = program
    .command('jobs')
    .description('list processing jobs, newest first (filters combine); see also `jobs show` and `jobs retry`')
    .option('--state <list>', 'comma list of states: queued, running, succeeded, failed, retrying, dead', parseJobStates)
    .option('--processor <name>', 'processor name, or NAME@VERSION')
    .option('--tier <tier>', 'production or staging', parseTier)
    .option('--instrument <id>', 'instrument of the processor')
    .option('--campaign <id>', 'jobs of a reprocessing campaign', parsePositiveInteger)
    .option('--since <time>', 'created at or after: an ISO time, or an age such as 24h or 7d', parseSince)
    .option('--limit <n>', 'at most this many', parsePositiveInteger, 100)
    .option('--json', 'JSON lines instead of a table')
    .action(async (options: JobsOptions, command: Command) =>
      withSdc(command, {}, async (sdc) => {
        const found = await listJobs(sdc.catalog.db, sdc.mission.config.id, {
          states: options.state, processor: options.processor, tier: options.tier, instrument: options.instrument, campaignId: options.campaign, since: options.since, limit: options.limit,
        });
        if (options.json) {
          for (const job of found) console.log(JSON.stringify(job));
          return;
        }
        console.log(textTable(['id', 'state', 'processor', 'tier', 'rule', 'group', 'day', 'tries', 'created', 'error'], found.map(row)));
        console.error(`${found.length} jobs`);
      }),
    );
  jobs
    .command('show')
    .description("a job's facts, inputs, outputs and log")
    .argument('<id>', 'job id', parsePositiveInteger)
    .option('--json', 'one JSON object')
    .action(async (id: number, _options: unknown, command: Command) =>
      withSdc(command, {}, async (sdc) => {
        // With the parent's options: `jobs` has its own --json, which commander gives it.
        const options = command.optsWithGlobals<{ json?: boolean }>();
        const detail = await jobDetail(sdc.catalog.db, sdc.mission.config.id, id);
        if (options.json) {
          console.log(JSON.stringify(detail));
          return;
        }
        const { job } = detail;
        const facts: [string, string | number | null][] = [
          ['job', job.id], ['state', job.state], ['processor', `${job.processor}@${job.processor_version}`], ['tier', job.tier], ['rule', job.rule],
          ['group', job.group_key], ['window', `${job.window_start.toISOString()} .. ${job.window_end.toISOString()}`], ['priority', job.priority],
          ['campaign', job.campaign_id], ['attempts', job.attempts], ['host', job.host], ['exit code', job.exit_code],
          ['created', iso(job.created_at)], ['started', iso(job.started_at)], ['finished', iso(job.finished_at)], ['error', job.error],
        ];
        for (const [name, value] of facts) if (value !== null && value !== '') console.log(`${`${name}:`.padEnd(11)}${value}`);
        console.log(`\ninputs (${detail.inputs.length}):`);
        for (const input of detail.inputs) console.log(`  ${input.name}  ${input.sha256.slice(0, 12)}${input.file ? '' : '  (no longer in the catalog)'}`);
        console.log(`\noutputs (${detail.outputs.length}):`);
        for (const output of detail.outputs) console.log(`  ${output.name}  ${output.tier}  ${output.size} bytes`);
        console.log(`\nlog:\n${job.log ?? '(none yet)'}`);
      }),
    );
  jobs
    .command('retry')
    .description('queue a failed or dead job again (its request goes out through the outbox, published by the running SDC)')
    .argument('<id>', 'job id', parsePositiveInteger)
    .action(async (id: number, _options: unknown, command: Command) =>
      withSdc(command, {}, async (sdc) => {
        const job = await retryJob(sdc.catalog.db, sdc.mission.config.id, id);
        console.log(`job ${job.id} (${job.processor}@${job.processor_version}, ${job.tier}) queued again after ${job.attempts} attempt(s)`);
      }),
    );
}

function row(job: JobSummary): string[] {
  return [String(job.id), job.state, `${job.processor}@${job.processor_version}`, job.tier, job.rule, job.group_key, job.window_start.toISOString().slice(0, 10), String(job.attempts), iso(job.created_at) ?? '', (job.error ?? '').slice(0, 80)];
}

function iso(time: Date | string | null): string | null {
  return time === null ? null : new Date(time).toISOString();
}
