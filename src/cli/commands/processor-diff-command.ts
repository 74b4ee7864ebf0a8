import { InvalidArgumentError, type Command } from 'commander';
import { parseProcessorRef } from '../../jobs/campaign-scopes.js';
import { diffProcessor, type ProcessorDiffReport } from '../../processors/processor-diff.js';
import { withSdc } from '../cli-context.js';
import { textTable } from '../text-table.js';

/** `sdc processor diff NAME@VERSION`: a staging version's outputs against production's, for the same inputs. */
export function registerProcessorDiffCommand(processor: Command): void {
  processor
    .command('diff')
    .description("compare a staging version's outputs with production's for the same rule, group and day: missing and extra files, and per CDF variable the largest absolute difference; exits 1 when anything differs")
    .argument('<name@version>', 'the staging version, e.g. fgm-l2@5.0.0')
    .option('--tolerance <x>', 'absolute differences up to this count as equal', (v) => {
      const n = Number(v);
      if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError(`--tolerance must be a number >= 0, got '${v}'`);
      return n;
    }, 0)
    .option('--json', 'the whole report as one JSON object')
    .action(async (ref: string, options: { tolerance: number; json?: boolean }, command: Command) =>
      withSdc(command, {}, async (sdc) => {
        const { name, version } = parseProcessorRef(ref);
        const report = await diffProcessor({ db: sdc.catalog.db, store: sdc.store, mission: sdc.mission.config.id }, name, version, { tolerance: options.tolerance });
        if (options.json) console.log(JSON.stringify(report));
        else printReport(report);
        if (report.summary.differing > 0) process.exitCode = 1;
      }),
    );
}

function printReport(report: ProcessorDiffReport): void {
  const rows: string[][] = [];
  for (const scope of report.scopes) {
    const where = [scope.rule, scope.groupKey, scope.day];
    const jobs = `${scope.stagingJob} vs ${scope.productionJob ?? '-'}`;
    if (scope.productionJob === null) rows.push([...where, jobs, '(no production job)', 'no production job to compare', '']);
    for (const stem of scope.missing) rows.push([...where, jobs, stem, 'missing in staging', '']);
    for (const stem of scope.extra.filter(() => scope.productionJob !== null)) rows.push([...where, jobs, stem, 'extra in staging', '']);
    for (const file of scope.files) {
      if (file.identical) rows.push([...where, jobs, file.stem, 'identical', '']);
      else if (file.note) rows.push([...where, jobs, file.stem, file.note, '']);
      for (const v of file.variables.filter((x) => x.status !== 'same')) {
        const detail = v.note ?? (v.status === 'differs' ? `${v.differing} values${v.maxAbsDiff === null ? '' : `, max |diff| ${v.maxAbsDiff}`}` : '');
        rows.push([...where, jobs, `${file.stem}:${v.name}`, v.status, detail]);
      }
      if (!file.identical && !file.note && file.variables.every((v) => v.status === 'same')) rows.push([...where, jobs, file.stem, 'same data (bytes differ: attributes)', '']);
    }
  }
  console.log(`${report.processor}@${report.version} (staging) against production, tolerance ${report.tolerance}`);
  if (rows.length > 0) console.log(textTable(['rule', 'group', 'day', 'jobs (staging vs production)', 'file or variable', 'result', 'difference'], rows));
  const s = report.summary;
  console.log(`\n${s.compared} jobs compared: ${s.same} same, ${s.differing} differ; ${s.withoutProduction} without a production job; ${s.stagingFailed} staging jobs failed`);
}
