import { DateTime } from 'luxon';
import type { Command } from 'commander';
import { latencyReport } from '../../operations/data-latency.js';
import { latencyReportText } from '../../operations/latency-report-text.js';
import { withSdc } from '../cli-context.js';

/** `sdc report latency`: the daily data-latency report. */
export function registerReportCommand(program: Command): void {
  const report = program.command('report').description('operations reports');
  report
    .command('latency')
    .description("per product, the time from the data's end to its raw inputs' arrival, to its availability and to its public release, for one day of data; what is later than the mission's latency thresholds, and the jobs of that day that failed")
    .option('--day <YYYY-MM-DD>', 'the day of data (UTC)', DateTime.utc().minus({ days: 1 }).toISODate() ?? '')
    .option('--json', 'print the report as JSON')
    .action(async (options: { day: string; json?: boolean }, command: Command) => {
      await withSdc(command, {}, async (sdc) => {
        const result = await latencyReport(sdc.catalog.db, sdc.mission.config.id, sdc.mission.config.latency, options.day);
        console.log(options.json ? JSON.stringify(result, null, 2) : latencyReportText(result));
      });
    });
}
