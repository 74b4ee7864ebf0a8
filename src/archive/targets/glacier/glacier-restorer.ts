import { DescribeJobCommand, InitiateJobCommand, type GlacierClient } from '@aws-sdk/client-glacier';
import type { ArchiveDb } from '../../archive-tables.js';
import type { ColdRestorer, RestoreStatus, RestoreTier } from '../backup-target.js';
import { latestJob, recordJob, settleJob } from './glacier-catalog.js';
import { toGlacierError } from './glacier-errors.js';

/** Glacier keeps a job's output for at least 24 hours after the job completes. */
const OUTPUT_LIFETIME_MS = 24 * 3600_000;

/** Where a vault and its jobs are. */
export interface GlacierVaultRef {
  target: string;
  vault: string;
  accountId: string;
  client: GlacierClient;
  db: ArchiveDb;
}

/**
 * Restores from a vault by archive-retrieval jobs: `request` initiates one (with the tier) and
 * records it in `glacier_jobs`; `status` polls DescribeJob for a job in progress and says
 * `ready` once it succeeded and its output is still downloadable (24 h), `not-requested` when
 * there is none, it failed or its output expired. Jobs cannot be cancelled.
 */
export class GlacierRestorer implements ColdRestorer {
  constructor(private readonly vault: GlacierVaultRef) {}

  async request(location: string, tier: RestoreTier): Promise<void> {
    const { client, vault, accountId, db, target } = this.vault;
    try {
      const response = await client.send(new InitiateJobCommand({ vaultName: vault, accountId, jobParameters: { Type: 'archive-retrieval', ArchiveId: location, Tier: tier, Description: `sdc restore of ${location.slice(0, 40)}` } }));
      if (!response.jobId) throw new Error('no job id in the answer');
      await recordJob(db, { target, job_id: response.jobId, action: 'archive-retrieval', archive_id: location, tier });
    } catch (error) {
      throw toGlacierError(error, vault, 'archive retrieval request', { archiveId: location });
    }
  }

  async status(location: string): Promise<RestoreStatus> {
    return (await this.readyJob(location)) ? 'ready' : (await this.pending(location)) ? 'in-progress' : 'not-requested';
  }

  /** The id of a succeeded retrieval of the archive whose output can still be downloaded. */
  async readyJob(location: string): Promise<string | undefined> {
    const job = await this.refreshed(location);
    if (job?.state !== 'succeeded' || !job.completed_at) return undefined;
    return Date.now() - new Date(job.completed_at).getTime() < OUTPUT_LIFETIME_MS ? job.job_id : undefined;
  }

  private async pending(location: string): Promise<boolean> {
    const job = await latestJob(this.vault.db, this.vault.target, 'archive-retrieval', location);
    return job?.state === 'in-progress';
  }

  /** The newest retrieval of the archive, its state brought up to date by DescribeJob when it was in progress. */
  private async refreshed(location: string) {
    const { db, target } = this.vault;
    const job = await latestJob(db, target, 'archive-retrieval', location);
    if (job?.state !== 'in-progress') return job;
    await refreshJob(this.vault, job.job_id);
    return latestJob(db, target, 'archive-retrieval', location);
  }
}

/** Asks Glacier how a job stands and records its outcome once it completed. */
export async function refreshJob(vault: GlacierVaultRef, jobId: string): Promise<void> {
  let description;
  try {
    description = await vault.client.send(new DescribeJobCommand({ vaultName: vault.vault, accountId: vault.accountId, jobId }));
  } catch (error) {
    throw toGlacierError(error, vault.vault, 'describe job', { jobId });
  }
  if (!description.Completed) return;
  const completedAt = description.CompletionDate ? new Date(description.CompletionDate) : new Date();
  await settleJob(vault.db, vault.target, jobId, { state: description.StatusCode === 'Succeeded' ? 'succeeded' : 'failed', statusMessage: description.StatusMessage ?? null, completedAt });
}
