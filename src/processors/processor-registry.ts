import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { CatalogSchema, ProcessorDeploymentsTable } from '../catalog/catalog-schema.js';
import { SdcError } from '../errors/sdc-error.js';
import { bundleHash } from './bundle-hash.js';
import { VerifiedBundles } from './verified-bundles.js';
import { loadProcessorBundle, type ProcessorBundle, type ProcessorManifest } from './processor-manifest.js';

export type Tier = 'production' | 'staging';

/** A processor version deployed to a tier: its bundle, the bundle's sha256, who put it there. */
export interface Deployment {
  id: number;
  name: string;
  version: string;
  tier: Tier;
  bundle: ProcessorBundle;
  bundleSha256: string;
  active: boolean;
  deployedAt: Date;
  deployedBy: string;
  retiredAt: Date | null;
}

/** A deployment request the registry refuses (unknown version, a changed bundle under an old version...). */
export class DeploymentError extends SdcError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('invalid-request', message, details);
  }
}

/**
 * Processor versions per tier. `deploy` records a bundle with the sha256 of its files and makes
 * it the tier's active version; `promote` makes a version the production one; `rollback`
 * returns production to the version it replaced. The mission's own bundles are deployed to
 * production the first time the SDC meets them. What runs is what was deployed: a job refuses a
 * bundle whose files changed since (see `verifyBundle`).
 */
export class ProcessorRegistry {
  private readonly verified = new VerifiedBundles();

  constructor(
    private readonly db: Kysely<CatalogSchema>,
    private readonly mission: string,
    private readonly missionFolder: string,
    /** The mission's instrument ids: a bundle must name one, since its jobs go to that instrument's queue. */
    private readonly instruments: readonly string[],
  ) {}

  /** Deploys to production every mission bundle whose processor has no production deployment yet. */
  async seedFromMission(): Promise<Deployment[]> {
    const root = path.join(this.missionFolder, 'processors');
    if (!existsSync(root)) return [];
    const seeded: Deployment[] = [];
    for (const entry of await readdir(root, { withFileTypes: true })) {
      if (!entry.isDirectory() || !existsSync(path.join(root, entry.name, 'processor.yaml'))) continue;
      const bundle = await loadProcessorBundle(path.join(root, entry.name));
      const existing = await this.db.selectFrom('processor_deployments').select('id').where('mission', '=', this.mission).where('name', '=', bundle.manifest.name).where('tier', '=', 'production').executeTakeFirst();
      if (!existing) seeded.push(await this.deploy(bundle.folder, 'production', 'mission'));
    }
    return seeded;
  }

  /** Copies the bundle in and makes it the active version of its tier. */
  async deploy(folder: string, tier: Tier, by: string): Promise<Deployment> {
    const bundle = await loadProcessorBundle(folder);
    const { name, version, instrument } = bundle.manifest;
    if (!this.instruments.includes(instrument)) {
      throw new DeploymentError(`${name}@${version} is for instrument '${instrument}', which the mission does not declare (instruments: ${this.instruments.join(', ')}); its jobs would have no queue`, { name, version, instrument });
    }
    const sha256 = await bundleHash(bundle.folder);
    const sameVersion = await this.db.selectFrom('processor_deployments').selectAll().where('mission', '=', this.mission).where('name', '=', name).where('version', '=', version).execute();
    const conflicting = sameVersion.find((d) => d.bundle_sha256 !== sha256);
    if (conflicting) throw new DeploymentError(`${name}@${version} is already deployed with other contents (bundle sha256 ${conflicting.bundle_sha256}); give the new bundle a new version`, { name, version });
    return this.activate({ name, version, tier, bundlePath: bundle.folder, sha256, manifest: bundle.manifest }, by);
  }

  /** Makes `name@version` (deployed to any tier) the production version; staging stops running it. */
  async promote(name: string, version: string, by: string): Promise<Deployment> {
    const source = await this.db.selectFrom('processor_deployments').selectAll().where('mission', '=', this.mission).where('name', '=', name).where('version', '=', version).orderBy('id', 'desc').executeTakeFirst();
    if (!source) throw new DeploymentError(`${name}@${version} is not deployed; deploy it to staging first`, { name, version });
    const promoted = await this.activate({ name, version, tier: 'production', bundlePath: source.bundle_path, sha256: source.bundle_sha256, manifest: source.manifest as ProcessorManifest }, by);
    await this.db.updateTable('processor_deployments').set({ active: false, retired_at: new Date() }).where('mission', '=', this.mission).where('name', '=', name).where('version', '=', version).where('tier', '=', 'staging').where('active', '=', true).execute();
    return promoted;
  }

  /** Returns production to the version the current one replaced. */
  async rollback(name: string, by: string): Promise<Deployment> {
    const current = await this.active(name, 'production');
    if (!current) throw new DeploymentError(`${name} has no production version to roll back`, { name });
    const previous = await this.db.selectFrom('processor_deployments').selectAll().where('mission', '=', this.mission).where('name', '=', name).where('tier', '=', 'production').where('active', '=', false).where('id', '!=', current.id).orderBy('retired_at', 'desc').orderBy('id', 'desc').executeTakeFirst();
    if (!previous) throw new DeploymentError(`${name}@${current.version} is the only production version ever deployed`, { name });
    return this.activate({ name, version: previous.version, tier: 'production', bundlePath: previous.bundle_path, sha256: previous.bundle_sha256, manifest: previous.manifest as ProcessorManifest }, by);
  }

  /** The active version of a processor in each tier that has one, in one query (inside the caller's transaction when given). */
  async activeByTier(name: string, db: Kysely<CatalogSchema> | Transaction<CatalogSchema> = this.db): Promise<Map<Tier, Deployment>> {
    const rows = await db.selectFrom('processor_deployments').selectAll().where('mission', '=', this.mission).where('name', '=', name).where('active', '=', true).execute();
    return new Map(rows.map((row) => [row.tier, toDeployment(row)]));
  }

  /** The active version of a processor in a tier (inside the caller's transaction when given). */
  async active(name: string, tier: Tier, db: Kysely<CatalogSchema> | Transaction<CatalogSchema> = this.db): Promise<Deployment | undefined> {
    const row = await db.selectFrom('processor_deployments').selectAll().where('mission', '=', this.mission).where('name', '=', name).where('tier', '=', tier).where('active', '=', true).executeTakeFirst();
    return row && toDeployment(row);
  }

  /** Throws when the bundle's files differ from what was deployed under this version (hashed again only when they changed since last verified). */
  async verifyBundle(deployment: Deployment): Promise<void> {
    const actual = await this.verified.currentHash(deployment.bundle.folder, deployment.bundleSha256);
    if (actual === deployment.bundleSha256) return;
    throw new DeploymentError(`the bundle of ${deployment.name}@${deployment.version} at ${deployment.bundle.folder} changed since it was deployed (sha256 ${deployment.bundleSha256}, now ${actual}); deploy it as a new version`, { name: deployment.name, version: deployment.version });
  }

  async byId(id: number): Promise<Deployment | undefined> {
    const row = await this.db.selectFrom('processor_deployments').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toDeployment(row);
  }

  /** Every deployment, newest first. */
  async list(): Promise<Deployment[]> {
    const rows = await this.db.selectFrom('processor_deployments').selectAll().where('mission', '=', this.mission).orderBy('name').orderBy('id', 'desc').execute();
    return rows.map(toDeployment);
  }

  private async activate(d: { name: string; version: string; tier: Tier; bundlePath: string; sha256: string; manifest: ProcessorManifest }, by: string): Promise<Deployment> {
    const row = await this.db.transaction().execute(async (trx) => {
      await trx.updateTable('processor_deployments').set({ active: false, retired_at: new Date() }).where('mission', '=', this.mission).where('name', '=', d.name).where('tier', '=', d.tier).where('active', '=', true).where('version', '!=', d.version).execute();
      const existing = await trx.selectFrom('processor_deployments').select('id').where('mission', '=', this.mission).where('name', '=', d.name).where('version', '=', d.version).where('tier', '=', d.tier).executeTakeFirst();
      if (existing) {
        return trx.updateTable('processor_deployments').set({ active: true, retired_at: null, deployed_by: by, deployed_at: new Date() }).where('id', '=', existing.id).returningAll().executeTakeFirstOrThrow();
      }
      return trx
        .insertInto('processor_deployments')
        .values({ mission: this.mission, name: d.name, version: d.version, tier: d.tier, bundle_path: d.bundlePath, bundle_sha256: d.sha256, manifest: JSON.stringify(d.manifest), deployed_by: by })
        .returningAll()
        .executeTakeFirstOrThrow();
    });
    return toDeployment(row);
  }
}

/**
 * A deployment from its row as `to_jsonb` gives it (timestamps as text), for a statement that
 * reads it beside another row, such as a job's claim.
 */
export function deploymentFromJson(row: Omit<Selectable<ProcessorDeploymentsTable>, 'deployed_at' | 'retired_at'> & { deployed_at: string; retired_at: string | null }): Deployment {
  return toDeployment({ ...row, deployed_at: new Date(row.deployed_at), retired_at: row.retired_at === null ? null : new Date(row.retired_at) });
}

function toDeployment(row: Selectable<ProcessorDeploymentsTable>): Deployment {
  return {
    id: row.id,
    name: row.name,
    version: row.version,
    tier: row.tier,
    bundle: { manifest: row.manifest as ProcessorManifest, folder: row.bundle_path },
    bundleSha256: row.bundle_sha256,
    active: row.active,
    deployedAt: new Date(row.deployed_at),
    deployedBy: row.deployed_by,
    retiredAt: row.retired_at,
  };
}
