import type { Command } from 'commander';
import { CdfFormatError, CdfUsageError, checkIstpFile, type IstpFinding, type IstpReport } from '../../cdf/index.js';

interface CheckOptions {
  json?: boolean;
}

/**
 * `sdc cdf check FILE [--json]`: lists what an archive (SPDF) would reject in a CDF.
 * Exit code 0 when the file passes (warnings allowed), 1 when there are errors, 2 when the file
 * cannot be read as a CDF.
 */
export function registerCdfCheckCommand(cdf: Command): void {
  cdf
    .command('check')
    .description('check a CDF file against the ISTP/SPDF metadata rules (exit 1 on errors)')
    .argument('<file>', 'the CDF file')
    .option('--json', 'print the report as JSON')
    .action((file: string, options: CheckOptions) => {
      let report: IstpReport;
      try {
        report = checkIstpFile(file);
      } catch (error) {
        if (!(error instanceof CdfFormatError || error instanceof CdfUsageError)) throw error;
        console.error(`sdc: ${error.message}`);
        process.exitCode = 2;
        return;
      }
      console.log(options.json ? JSON.stringify(report, null, 2) : formatReport(report));
      if (!report.passed) process.exitCode = 1;
    });
}

function formatReport(report: IstpReport): string {
  const verdict = report.passed ? 'passes' : 'fails';
  const summary = `${report.file}: ${verdict} (${report.errorCount} error(s), ${report.warningCount} warning(s))`;
  return [...report.findings.map(formatFinding), summary].join('\n');
}

function formatFinding(finding: IstpFinding): string {
  const where = [finding.variable, finding.attribute].filter(Boolean).join('.') || '-';
  return `${finding.severity.padEnd(7)} ${finding.rule.padEnd(27)} ${where.padEnd(30)} ${finding.message}`;
}
