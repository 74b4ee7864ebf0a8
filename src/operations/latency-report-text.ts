import type { LatencyReport, StageLatency } from './data-latency.js';

/** A duration for people: `42 s`, `3.5 h`, `2.1 d`. */
export function humanDuration(seconds: number): string {
  if (seconds < 120) return `${Math.round(seconds)} s`;
  if (seconds < 7_200) return `${(seconds / 60).toFixed(1)} min`;
  if (seconds < 172_800) return `${(seconds / 3_600).toFixed(1)} h`;
  return `${(seconds / 86_400).toFixed(1)} d`;
}

/** A stage's figures in one cell: median / max, waiting files, threshold. */
export function stageText(stage: StageLatency): string {
  const parts = [stage.medianSeconds === null ? '-' : `${humanDuration(stage.medianSeconds)} / ${humanDuration(stage.maxSeconds ?? 0)}`];
  if (stage.pending > 0) parts.push(`${stage.pending} waiting`);
  if (stage.thresholdSeconds !== null) parts.push(`limit ${humanDuration(stage.thresholdSeconds)}`);
  return parts.join(', ');
}

/** The report as a text table, then what is late and what failed. */
export function latencyReportText(report: LatencyReport): string {
  const header = ['product', 'files', 'arrival (median / max)', 'available', 'released'];
  const rows = report.products.map((p) => [p.product, String(p.files), stageText(p.arrival), stageText(p.available), stageText(p.released)]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  const out = [`Data latency of ${report.mission} data of ${report.day} (from the end time of the data), generated ${report.generatedAt}`, '', line(header), ...rows.map(line)];
  if (report.products.length === 0) out.push('(no production file of that day)');
  out.push('', report.late.length === 0 ? 'Nothing late.' : `Late (${report.late.length}):`);
  for (const item of report.late) out.push(`  ${item.stem}: ${item.stage} ${item.waiting ? 'still waiting after' : 'took'} ${humanDuration(item.seconds)} (limit ${humanDuration(item.thresholdSeconds)})`);
  out.push('', report.failedJobs.length === 0 ? 'No failed job.' : `Failed jobs (${report.failedJobs.length}):`);
  for (const job of report.failedJobs) out.push(`  job ${job.id} ${job.state} ${job.processor}@${job.version} (${job.tier}) ${job.groupKey}, ${job.attempts} attempt(s): ${job.error ?? ''}`.trimEnd());
  return out.join('\n');
}
