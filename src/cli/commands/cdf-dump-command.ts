import type { Command } from 'commander';
import { CdfFormatError, CdfUsageError, openCdf, summarizeCdf, type CdfSummary, type CdfVariableSummary } from '../../cdf/index.js';

interface DumpOptions {
  json?: boolean;
}

/** Longest attribute text shown on one line of the text dump. */
const MAX_TEXT = 100;

/**
 * `sdc cdf dump FILE [--json]`: file facts, global and variable attributes, every variable's
 * type, shape, record count and compression, its first and last values, and the time range.
 * Exit code 2 when the file cannot be read as a CDF.
 */
export function registerCdfDumpCommand(cdf: Command): void {
  cdf
    .command('dump')
    .description('show the attributes, variables, first/last values and time range of a CDF file')
    .argument('<file>', 'the CDF file')
    .option('--json', 'print as JSON')
    .action((file: string, options: DumpOptions) => {
      let summary: CdfSummary;
      try {
        const reader = openCdf(file);
        try {
          summary = summarizeCdf(reader);
        } finally {
          reader.close();
        }
      } catch (error) {
        if (!(error instanceof CdfFormatError || error instanceof CdfUsageError)) throw error;
        console.error(`sdc: ${error.message}`);
        process.exitCode = 2;
        return;
      }
      console.log(options.json ? JSON.stringify(summary, null, 2) : formatSummary(summary));
    });
}

function formatSummary(summary: CdfSummary): string {
  const f = summary.file;
  const storage = [
    `CDF ${f.version}`,
    `encoding ${f.encoding} (${f.littleEndian ? 'little' : 'big'}-endian)`,
    `${f.majority}-major`,
    ...(f.fileCompression !== 'none' ? [`whole-file ${f.fileCompression}`] : []),
    ...(f.hasChecksum ? ['MD5'] : []),
  ];
  const lines = [`${f.name}: ${f.size} bytes, ${storage.join(', ')}`];
  const t = summary.timeRange;
  lines.push(t ? `Time range (${t.variable}): ${t.start} .. ${t.end}` : 'Time range: none (no time variable with records)');
  lines.push('', `Global attributes (${summary.globalAttributes.length}):`);
  for (const attribute of summary.globalAttributes) {
    attribute.entries.forEach((entry, i) => {
      const suffix = attribute.entries.length > 1 || attribute.entryNumbers[i] !== 0 ? `[${attribute.entryNumbers[i]}]` : '';
      lines.push(`  ${attribute.name}${suffix}: ${text(entry)}`);
    });
    if (attribute.entries.length === 0) lines.push(`  ${attribute.name}: (no entries)`);
  }
  lines.push('', `Variables (${summary.variables.length}):`);
  for (const variable of summary.variables) lines.push(...formatVariable(variable));
  return lines.join('\n');
}

function formatVariable(v: CdfVariableSummary): string[] {
  const type = v.type === 'CHAR' || v.type === 'UCHAR' ? `${v.type}*${v.numElements}` : v.type;
  const facts = [
    `${v.kind}Variable`,
    `shape [${v.shape.join(', ')}]`,
    v.recordVariance ? `${v.shape[0]} records` : 'non-record-varying',
    ...(v.compression !== 'none' ? [v.compression] : []),
    ...(v.sparseRecords !== 'none' ? [`sparse (${v.sparseRecords})`] : []),
  ];
  const lines = [`  ${v.name}  ${type}  ${facts.join(', ')}`];
  const more = v.valuesPerRecord > (v.first?.length ?? 0) ? `, … (${v.valuesPerRecord} values)` : '';
  if (!v.first) lines.push('    (no records)');
  if (v.first) lines.push(`    first: ${v.first.map(text).join(', ')}${more}`);
  if (v.last && v.shape[0]! > 1) lines.push(`    last:  ${v.last.map(text).join(', ')}${more}`);
  for (const [name, value] of Object.entries(v.attributes)) lines.push(`    ${name}: ${text(value)}`);
  return lines;
}

function text(value: unknown): string {
  const shown = Array.isArray(value) ? value.map(text).join(', ') : typeof value === 'string' ? JSON.stringify(value) : String(value);
  return shown.length > MAX_TEXT ? `${shown.slice(0, MAX_TEXT)}…` : shown;
}
