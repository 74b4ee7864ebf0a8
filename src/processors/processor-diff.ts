import { buffer } from 'node:stream/consumers';
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { CatalogSchema, FileRow, JobRow } from '../catalog/catalog-schema.js';
import { openCdf } from '../cdf/index.js';
import { SdcError } from '../errors/sdc-error.js';
import type { FileStore } from '../store/file-store.js';
import { compareCdfVariables, type VariableDiff } from './cdf-compare.js';

/** How one output file of a staging job compares with its production counterpart (same stem). */
export interface FileDiff {
  stem: string;
  production: string;
  staging: string;
  identical: boolean;
  /** Per variable, for CDF files whose bytes differ. */
  variables: VariableDiff[];
  note?: string;
}

/** One staging job against the production job of the same rule, group and day. */
export interface ScopeDiff {
  rule: string;
  groupKey: string;
  day: string;
  stagingJob: number;
  productionJob: number | null;
  productionVersion: string | null;
  /** Whether both jobs read exactly the same inputs. */
  sameInputs: boolean;
  /** Outputs production wrote and staging did not (by stem), and the reverse. */
  missing: string[];
  extra: string[];
  files: FileDiff[];
  /** True when outputs match file for file and every file is identical or has no differing variable. */
  same: boolean;
}

export interface ProcessorDiffReport {
  processor: string;
  version: string;
  tolerance: number;
  scopes: ScopeDiff[];
  summary: { compared: number; same: number; differing: number; withoutProduction: number; stagingFailed: number };
}

export interface ProcessorDiffDependencies {
  db: Kysely<CatalogSchema>;
  store: FileStore;
  mission: string;
}

/**
 * The comparison report of a staging version: for each successful job of its staging deployment,
 * the successful production job of the same rule, group and day (the one with the same inputs
 * when there is one, else the newest), and how their outputs differ: files missing or extra
 * (matched by the name without its version), and for CDF files that differ, each variable
 * with its largest absolute difference.
 */
export async function diffProcessor(deps: ProcessorDiffDependencies, name: string, version: string, options: { tolerance?: number } = {}): Promise<ProcessorDiffReport> {
  const tolerance = options.tolerance ?? 0;
  const deployments = await deps.db.selectFrom('processor_deployments').select('id').where('mission', '=', deps.mission).where('name', '=', name).where('version', '=', version).where('tier', '=', 'staging').execute();
  if (deployments.length === 0) throw new SdcError('not-found', `${name}@${version} was never deployed to staging; deploy it with \`sdc processor deploy BUNDLE --tier staging\``, { name, version });
  const stagingJobs = await deps.db.selectFrom('jobs').selectAll().where('mission', '=', deps.mission).where('deployment_id', 'in', deployments.map((d) => d.id)).orderBy('window_start').orderBy('group_key').orderBy('id').execute();
  const scopes: ScopeDiff[] = [];
  for (const job of stagingJobs.filter((j) => j.state === 'succeeded')) scopes.push(await diffScope(deps, job, tolerance));
  const compared = scopes.filter((s) => s.productionJob !== null);
  return {
    processor: name,
    version,
    tolerance,
    scopes,
    summary: {
      compared: compared.length,
      same: compared.filter((s) => s.same).length,
      differing: compared.filter((s) => !s.same).length,
      withoutProduction: scopes.length - compared.length,
      stagingFailed: stagingJobs.filter((j) => j.state === 'failed' || j.state === 'dead').length,
    },
  };
}

async function diffScope(deps: ProcessorDiffDependencies, staging: JobRow, tolerance: number): Promise<ScopeDiff> {
  const production = await deps.db.selectFrom('jobs').selectAll()
    .where('mission', '=', deps.mission).where('tier', '=', 'production').where('state', '=', 'succeeded')
    .where('rule', '=', staging.rule).where('group_key', '=', staging.group_key).where('window_start', '=', staging.window_start)
    .orderBy(sql`case when inputs_hash = ${staging.inputs_hash} then 0 else 1 end`).orderBy('id', 'desc')
    .executeTakeFirst();
  const base = { rule: staging.rule, groupKey: staging.group_key, day: staging.window_start.toISOString().slice(0, 10), stagingJob: staging.id };
  const stagingFiles = await outputsOf(deps.db, staging.id);
  if (!production) return { ...base, productionJob: null, productionVersion: null, sameInputs: false, missing: [], extra: stagingFiles.map((f) => f.stem), files: [], same: false };
  const productionFiles = await outputsOf(deps.db, production.id);
  const byStem = new Map(stagingFiles.map((f) => [f.stem, f]));
  const files: FileDiff[] = [];
  for (const p of productionFiles) {
    const s = byStem.get(p.stem);
    if (s) files.push(await diffFile(deps.store, p, s, tolerance));
  }
  const missing = productionFiles.filter((p) => !byStem.has(p.stem)).map((p) => p.stem);
  const extra = stagingFiles.filter((s) => !productionFiles.some((p) => p.stem === s.stem)).map((s) => s.stem);
  const same = missing.length === 0 && extra.length === 0 && files.every((f) => f.identical || (f.note === undefined && f.variables.every((v) => v.status === 'same')));
  return { ...base, productionJob: production.id, productionVersion: production.processor_version, sameInputs: production.inputs_hash === staging.inputs_hash, missing, extra, files, same };
}

function outputsOf(db: Kysely<CatalogSchema>, jobId: number): Promise<FileRow[]> {
  return db.selectFrom('files').selectAll().where('job_id', '=', jobId).orderBy('stem').execute();
}

async function diffFile(store: FileStore, production: FileRow, staging: FileRow, tolerance: number): Promise<FileDiff> {
  const base = { stem: production.stem, production: production.name, staging: staging.name };
  if (production.sha256 === staging.sha256) return { ...base, identical: true, variables: [] };
  if (!production.name.toLowerCase().endsWith('.cdf') || !staging.name.toLowerCase().endsWith('.cdf')) return { ...base, identical: false, variables: [], note: 'contents differ (not CDF: compared by checksum)' };
  const a = openCdf(new Uint8Array(await buffer(await store.read(production.store_key))), { name: production.name });
  const b = openCdf(new Uint8Array(await buffer(await store.read(staging.store_key))), { name: staging.name });
  try {
    return { ...base, identical: false, variables: compareCdfVariables(a, b, tolerance) };
  } finally {
    a.close();
    b.close();
  }
}
