import { GetJobOutputCommand, InitiateJobCommand } from '@aws-sdk/client-glacier';
import { z } from 'zod';
import { inventoryOf, latestJob, recordJob, replaceInventory } from './glacier-catalog.js';
import { GlacierRequestError, toGlacierError } from './glacier-errors.js';
import { refreshJob, type GlacierVaultRef } from './glacier-restorer.js';

/** An inventory that can be audited against (`asOf`: copies made later are not in it), or why there is none yet. */
export type InventoryState = { state: 'ready'; asOf: Date } | { state: 'pending'; note: string };

const inventorySchema = z.object({
  InventoryDate: z.string(),
  ArchiveList: z.array(
    z.object({
      ArchiveId: z.string().min(1),
      ArchiveDescription: z.string().optional().nullable(),
      CreationDate: z.string(),
      Size: z.number().int().nonnegative(),
      SHA256TreeHash: z.string().regex(/^[0-9a-f]{64}$/),
    }),
  ),
});

/**
 * Keeps a vault's inventory usable for reconciliation. Glacier updates a vault's inventory about
 * once a day and hands it out through an inventory-retrieval job that takes hours, so: an
 * inventory younger than `maxAgeMs` is used as it is; otherwise a finished job's output is
 * downloaded and stored, or a new job is requested (the older inventory serves meanwhile).
 */
export async function bringInventoryUpToDate(vault: GlacierVaultRef, maxAgeMs: number): Promise<InventoryState> {
  const { db, target } = vault;
  const current = await inventoryOf(db, target);
  if (current && Date.now() - new Date(current.retrieved_at).getTime() < maxAgeMs) return { state: 'ready', asOf: current.inventory_date };
  let job = await latestJob(db, target, 'inventory-retrieval');
  if (job?.state === 'in-progress') {
    await refreshJob(vault, job.job_id);
    job = await latestJob(db, target, 'inventory-retrieval');
  }
  if (job?.state === 'succeeded' && job.job_id !== current?.job_id) return { state: 'ready', asOf: await downloadInventory(vault, job.job_id) };
  const running = job?.state === 'in-progress' ? job.job_id : (await requestInventory(vault)).job_id;
  if (current) return { state: 'ready', asOf: current.inventory_date };
  return { state: 'pending', note: `no inventory of vault '${vault.vault}' yet: inventory job ${running} is in progress (Glacier takes hours); audit again once it completes` };
}

/** Initiates an inventory-retrieval job (JSON) and records it. */
export async function requestInventory(vault: GlacierVaultRef): Promise<{ job_id: string }> {
  try {
    const response = await vault.client.send(new InitiateJobCommand({ vaultName: vault.vault, accountId: vault.accountId, jobParameters: { Type: 'inventory-retrieval', Format: 'JSON', Description: 'sdc reconciliation' } }));
    if (!response.jobId) throw new Error('no job id in the answer');
    await recordJob(vault.db, { target: vault.target, job_id: response.jobId, action: 'inventory-retrieval', archive_id: null, tier: null });
    return { job_id: response.jobId };
  } catch (error) {
    throw toGlacierError(error, vault.vault, 'inventory request');
  }
}

/** Downloads a finished inventory job's output and stores it as the vault's inventory; returns its date. */
async function downloadInventory(vault: GlacierVaultRef, jobId: string): Promise<Date> {
  let text: string;
  try {
    const output = await vault.client.send(new GetJobOutputCommand({ vaultName: vault.vault, accountId: vault.accountId, jobId }));
    text = (await output.body?.transformToString()) ?? '';
  } catch (error) {
    throw toGlacierError(error, vault.vault, 'inventory download', { jobId });
  }
  let parsed;
  try {
    parsed = inventorySchema.parse(JSON.parse(text));
  } catch (error) {
    throw new GlacierRequestError(vault.vault, 'inventory download', `job ${jobId} returned no JSON inventory (${(error as Error).message.slice(0, 200)})`, { jobId }, { cause: error });
  }
  const asOf = new Date(parsed.InventoryDate);
  await replaceInventory(
    vault.db,
    vault.target,
    jobId,
    asOf,
    parsed.ArchiveList.map((a) => ({ archiveId: a.ArchiveId, size: a.Size, treeHash: a.SHA256TreeHash, description: a.ArchiveDescription ?? null, createdAt: new Date(a.CreationDate) })),
  );
  return asOf;
}
