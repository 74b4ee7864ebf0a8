import { InvalidArgumentError } from 'commander';
import type { JobState } from '../catalog/catalog-schema.js';
import { JOB_STATES } from '../jobs/job-listing.js';

const UNIT_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000 };

/** An ISO date or time (`2015-09-01`, `2015-09-01T12:00Z`), read as UTC when it has no zone. */
export function parseTime(value: string): Date {
  const text = /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : /T[\d:.]+$/.test(value) ? `${value}Z` : value;
  const time = new Date(text);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(time.getTime())) throw new InvalidArgumentError(`an ISO date or time such as 2015-09-01 or 2015-09-01T12:00:00Z, got '${value}'`);
  return time;
}

/** A time, or an age back from now such as `30m`, `24h`, `7d`. */
export function parseSince(value: string): Date {
  const age = /^(\d+)([mhd])$/.exec(value);
  if (age) return new Date(Date.now() - Number(age[1]) * UNIT_MS[age[2]!]!);
  try {
    return parseTime(value);
  } catch {
    throw new InvalidArgumentError(`an ISO time or an age such as 30m, 24h or 7d, got '${value}'`);
  }
}

export function parsePositiveInteger(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError(`a positive whole number, got '${value}'`);
  return n;
}

export function parsePositiveNumber(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`a positive number, got '${value}'`);
  return n;
}

export function parseTier(value: string): 'production' | 'staging' {
  if (value !== 'production' && value !== 'staging') throw new InvalidArgumentError(`a tier is production or staging, got '${value}'`);
  return value;
}

export function parseJobStates(value: string): JobState[] {
  const states = value.split(',').map((s) => s.trim()).filter(Boolean);
  const bad = states.filter((s) => !JOB_STATES.includes(s as JobState));
  if (states.length === 0 || bad.length > 0) throw new InvalidArgumentError(`job states are ${JOB_STATES.join(', ')}, got '${value}'`);
  return states as JobState[];
}
