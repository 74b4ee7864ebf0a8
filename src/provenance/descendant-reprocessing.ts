/**
 * Reprocessing what was derived from a bad input (e.g. a wrong calibration table): the plan
 * (every descendant, to any depth, and the job scopes that used the bad file directly), the
 * marks on the descendants once a campaign is created for them, and the report of what
 * changed: which marked files a new version replaced, with the same bytes or not, and which
 * are still waiting.
 *
 * Only the jobs that read the bad file are queued again: their new outputs are arrivals that
 * trigger the next levels as any arrival does, so the whole subtree is rebuilt in order.
 */
import type { Kysely } from 'kysely';
import type { CatalogSchema, FileRow } from '../catalog/catalog-schema.js';
import type { CampaignScope } from '../jobs/campaign-scopes.js';
import type { CampaignProgress, CampaignService, NewCampaign } from '../jobs/campaign-service.js';
import { scopeOfPrimary } from '../jobs/job-scope.js';
import type { Mission } from '../mission/load-mission.js';
import { newestNewerVersion } from '../catalog/file-catalog.js';
import { descendantEdges } from './lineage-query.js';

export interface DescendantPlan {
  bad: FileRow;
  /** Everything derived from the bad file, to any depth. */
  descendants: FileRow[];
  /** One per job that read the bad file. */
  scopes: CampaignScope[];
  /** The newer version of the bad file, if one was catalogued (otherwise rebuilt jobs find the same inputs). */
  replacement: string | null;
}

export async function planDescendantReprocessing(db: Kysely<CatalogSchema>, mission: Mission, bad: FileRow): Promise<DescendantPlan> {
  const edges = await descendantEdges(db, bad.id);
  const ids = [...new Set(edges.map((e) => e.fileId))];
  const descendants = ids.length === 0 ? [] : await db.selectFrom('files').selectAll().where('id', 'in', ids).orderBy('name').execute();
  const directJobs = [...new Set(edges.filter((e) => e.usedFileId === bad.id).map((e) => e.jobId))];
  const jobs = directJobs.length === 0 ? [] : await db.selectFrom('jobs').select(['id', 'rule', 'inputs']).where('id', 'in', directJobs).execute();
  const rules = new Map(mission.config.processing.rules.map((r) => [r.id, r]));
  const scopes: CampaignScope[] = [];
  for (const job of jobs) {
    const rule = rules.get(job.rule);
    const primaryId = job.inputs[0]?.fileId;
    if (!rule || primaryId === undefined) continue;
    const primary = await db.selectFrom('files').selectAll().where('id', '=', primaryId).executeTakeFirst();
    if (primary) scopes.push({ rule: rule.id, ...scopeOfPrimary(rule, primary) });
  }
  const newer = await newestNewerVersion(db, bad);
  return { bad, descendants, scopes, replacement: newer?.name ?? null };
}

/**
 * Creates the campaign that re-runs the plan's scopes and marks the plan's descendants as its to
 * replace, in one transaction: a crash or a failure leaves both or neither, never marked files
 * without a campaign to replace them, nor a campaign whose report would list nothing.
 */
export async function createDescendantCampaign(campaigns: CampaignService, plan: DescendantPlan, request: Omit<NewCampaign, 'scopes'>): Promise<CampaignProgress> {
  return campaigns.create({ ...request, scopes: plan.scopes }, (trx, campaignId) => markDescendants(trx, plan, campaignId, request.createdBy));
}

/** Marks the plan's descendants as the campaign's to replace. */
async function markDescendants(db: Kysely<CatalogSchema>, plan: DescendantPlan, campaignId: number, by: string): Promise<void> {
  const rows = plan.descendants.map((f) => ({ file_id: f.id, campaign_id: campaignId, bad_file_id: plan.bad.id, marked_by: by }));
  for (let i = 0; i < rows.length; i += 1000) {
    await db.insertInto('provenance_suspects').values(rows.slice(i, i + 1000)).onConflict((oc) => oc.columns(['file_id', 'campaign_id']).doNothing()).execute();
  }
}

/** What became of one marked file. */
export interface DescendantChange {
  name: string;
  /** `replaced`: a newer version exists (`identical` if its bytes are the same); `waiting`: not yet. */
  state: 'replaced' | 'waiting';
  newVersion: string | null;
  identical: boolean;
}

export interface DescendantReport {
  campaignId: number;
  badFile: string;
  changes: DescendantChange[];
  replaced: number;
  identical: number;
  waiting: number;
}

/** The report of a descendants campaign: each marked file and its newest version now. */
export async function descendantReport(db: Kysely<CatalogSchema>, campaignId: number): Promise<DescendantReport | undefined> {
  const marked = await db
    .selectFrom('provenance_suspects as s')
    .innerJoin('files as f', 'f.id', 's.file_id')
    .innerJoin('files as b', 'b.id', 's.bad_file_id')
    .select(['f.id', 'f.name', 'f.mission', 'f.tier', 'f.stem', 'f.sha256', 'b.name as bad_name'])
    .where('s.campaign_id', '=', campaignId)
    .orderBy('f.name')
    .execute();
  if (marked.length === 0) return undefined;
  const changes: DescendantChange[] = [];
  for (const file of marked) {
    const newest = await newestNewerVersion(db, file);
    changes.push({ name: file.name, state: newest ? 'replaced' : 'waiting', newVersion: newest?.name ?? null, identical: newest?.sha256 === file.sha256 });
  }
  const replaced = changes.filter((c) => c.state === 'replaced');
  return { campaignId, badFile: marked[0]!.bad_name, changes, replaced: replaced.length, identical: replaced.filter((c) => c.identical).length, waiting: changes.length - replaced.length };
}
