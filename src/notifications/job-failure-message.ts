import type { JobRow } from '../catalog/catalog-schema.js';
import type { Notification } from './notification-transport.js';

/** One failed job as a notification reports it. */
export interface JobFailureReport {
  jobId: number;
  mission: string;
  processor: string;
  version: string;
  tier: string;
  state: string;
  window: { start: string; end: string };
  inputs: string[];
  attempts: number;
  host: string | null;
  exitCode: number | null;
  reason: string;
  logTail: string[];
}

/** Entries listed in one digest; the rest are counted. */
const DIGEST_LISTED = 50;

/** The last `lines` non-empty lines of a job's log. */
export function logTail(log: string | null, lines: number): string[] {
  if (!log || lines === 0) return [];
  return log.split('\n').filter((line) => line.trim() !== '').slice(-lines);
}

/** What a notification says about one failed job. */
export function jobFailureReport(job: JobRow, reason: string, logLines: number): JobFailureReport {
  return {
    jobId: job.id,
    mission: job.mission,
    processor: job.processor,
    version: job.processor_version,
    tier: job.tier,
    state: job.state,
    window: { start: job.window_start.toISOString(), end: job.window_end.toISOString() },
    inputs: job.inputs.map((input) => input.name),
    attempts: job.attempts,
    host: job.host,
    exitCode: job.exit_code,
    reason,
    logTail: logTail(job.log, logLines),
  };
}

function describe(report: JobFailureReport): string {
  const lines = [
    `Job ${report.jobId} of mission ${report.mission} is ${report.state} after ${report.attempts} attempt(s).`,
    `processor: ${report.processor}@${report.version}`,
    `tier:      ${report.tier}`,
    `window:    ${report.window.start} to ${report.window.end}`,
    `inputs:    ${report.inputs.join(', ') || '(none)'}`,
    `host:      ${report.host ?? 'unknown'}, exit code ${report.exitCode ?? 'none'}`,
    `reason:    ${report.reason}`,
  ];
  if (report.logTail.length > 0) lines.push('', `last ${report.logTail.length} line(s) of the log:`, ...report.logTail.map((l) => `  ${l}`));
  return lines.join('\n');
}

/** The message about one failed job. */
export function jobFailureNotification(report: JobFailureReport): Notification {
  const subject = `[SDC ${report.mission}] job ${report.jobId} ${report.state}: ${report.processor}@${report.version} (${report.tier})`;
  const text = describe(report);
  return { subject, text, payload: { type: 'sdc.job.failure', subject, text, failures: [report], omitted: 0 } };
}

/** One message for many failures of one processor within a digest window. */
export function jobFailureDigest(reports: JobFailureReport[], omitted: number): Notification {
  const first = reports[0];
  const total = reports.length + omitted;
  const what = first ? `${first.processor}@${first.version} (${first.tier})` : 'jobs';
  const subject = `[SDC ${first?.mission ?? ''}] ${total} more job failures: ${what}`;
  const listed = reports.slice(0, DIGEST_LISTED);
  const lines = [`${total} further failures of ${what} since the last message:`, ''];
  for (const r of listed) lines.push(`- job ${r.jobId} ${r.state}, window ${r.window.start} to ${r.window.end}: ${r.reason}`);
  const unlisted = total - listed.length;
  if (unlisted > 0) lines.push(`- ... and ${unlisted} more`);
  const last = reports.at(-1);
  if (last) lines.push('', `latest failure in full:`, '', describe(last));
  const text = lines.join('\n');
  return { subject, text, payload: { type: 'sdc.job.failure.digest', subject, text, failures: listed, omitted: unlisted } };
}
