/**
 * What must be in cold storage besides catalogued files: the files of every deployed processor
 * bundle (identified by `processor_deployments.bundle_sha256`) and the mission's configuration
 * (every file of the mission folder outside the deployed bundles). Each content at a path is
 * one `archive_system_items` row with a key that never changes meaning:
 * `_sdc-system/<mission>/processors/<name>/<version>/<path>` and
 * `_sdc-system/<mission>/mission/<first 16 hex of sha256>/<path>`.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../../logging/logger.js';
import { bundleHash } from '../../processors/bundle-hash.js';
import type { ArchiveDb, SystemItemRow } from '../archive-tables.js';
import { SYSTEM_FOLDER } from '../targets/backup-target.js';

/** The mission whose bundles and configuration are backed up. */
export interface SystemSource {
  mission: string;
  /** The mission folder (mission.yaml and its adapters). */
  folder: string;
}

/** An item and where its bytes are on this machine now. */
export interface SystemItemSource {
  item: SystemItemRow;
  path: string;
}

/** Folders of a mission tree that are never configuration. */
const SKIPPED = new Set(['node_modules']);

/**
 * Records the items present now (bundles whose files still hash to their deployed identity,
 * and the mission folder's files) and returns them with their paths. A bundle already recorded
 * is not read again; one whose folder changed or vanished since its deployment is skipped with
 * a warning (what ran can no longer be read from it).
 */
export async function currentSystemItems(db: ArchiveDb, source: SystemSource, logger: Logger): Promise<SystemItemSource[]> {
  const deployments = await db
    .selectFrom('processor_deployments')
    .select(['name', 'version', 'bundle_path', 'bundle_sha256'])
    .distinct()
    .where('mission', '=', source.mission)
    .orderBy('name')
    .orderBy('version')
    .execute();
  const out: SystemItemSource[] = [];
  for (const d of deployments) {
    const owner = `${d.name}@${d.version}`;
    const known = await db.selectFrom('archive_system_items').selectAll().where('kind', '=', 'processor-bundle').where('owner', '=', owner).where('bundle_sha256', '=', d.bundle_sha256).execute();
    if (known.length > 0) {
      out.push(...known.map((item) => ({ item, path: path.join(d.bundle_path, item.path) })));
      continue;
    }
    if (!existsSync(d.bundle_path) || (await bundleHash(d.bundle_path)) !== d.bundle_sha256) {
      logger.warn('a deployed bundle is not backed up: its folder changed or vanished since it was deployed', { bundle: owner, folder: d.bundle_path });
      continue;
    }
    const prefix = `${SYSTEM_FOLDER}/${source.mission}/processors/${d.name}/${d.version}`;
    for (const relative of await filesUnder(d.bundle_path, new Set())) {
      const item = await recordItem(db, { mission: source.mission, kind: 'processor-bundle', owner, relative, folder: d.bundle_path, key: () => `${prefix}/${relative}`, bundleSha256: d.bundle_sha256 });
      out.push({ item, path: path.join(d.bundle_path, relative) });
    }
  }
  const bundleFolders = new Set(deployments.map((d) => path.resolve(d.bundle_path)));
  for (const relative of await filesUnder(source.folder, bundleFolders)) {
    const item = await recordItem(db, { mission: source.mission, kind: 'mission-config', owner: source.mission, relative, folder: source.folder, key: (sha) => `${SYSTEM_FOLDER}/${source.mission}/mission/${sha.slice(0, 16)}/${relative}`, bundleSha256: null });
    out.push({ item, path: path.join(source.folder, relative) });
  }
  return out;
}

/**
 * Where an item's bytes are on this machine now, if anywhere: its deployed bundle's folder, or
 * the mission folder. The file there may have changed since: the caller checks its sha256.
 */
export async function livePathOf(db: ArchiveDb, source: SystemSource, item: SystemItemRow): Promise<string | undefined> {
  if (item.kind === 'mission-config') return item.mission === source.mission ? path.join(source.folder, item.path) : undefined;
  const at = item.owner.lastIndexOf('@');
  const deployment = await db
    .selectFrom('processor_deployments')
    .select('bundle_path')
    .where('mission', '=', item.mission)
    .where('name', '=', item.owner.slice(0, at))
    .where('version', '=', item.owner.slice(at + 1))
    .where('bundle_sha256', '=', item.bundle_sha256 ?? '')
    .executeTakeFirst();
  return deployment ? path.join(deployment.bundle_path, item.path) : undefined;
}

async function recordItem(
  db: ArchiveDb,
  spec: { mission: string; kind: SystemItemRow['kind']; owner: string; relative: string; folder: string; key: (sha256: string) => string; bundleSha256: string | null },
): Promise<SystemItemRow> {
  const { size, sha256 } = await sha256Of(path.join(spec.folder, spec.relative));
  const key = spec.key(sha256);
  await db
    .insertInto('archive_system_items')
    .values({ mission: spec.mission, kind: spec.kind, owner: spec.owner, path: spec.relative, key, size, sha256, bundle_sha256: spec.bundleSha256 })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  return db.selectFrom('archive_system_items').selectAll().where('key', '=', key).executeTakeFirstOrThrow();
}

async function sha256Of(file: string): Promise<{ size: number; sha256: string }> {
  const bytes = await readFile(file);
  return { size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
}

/** Relative `/`-separated paths of the files under `root`, sorted, outside `excluded` folders and dot entries. */
export async function filesUnder(root: string, excluded: ReadonlySet<string>, folder = root): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(folder, { withFileTypes: true })) {
    if (entry.name.startsWith('.') || SKIPPED.has(entry.name)) continue;
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) {
      if (!excluded.has(path.resolve(full))) out.push(...(await filesUnder(root, excluded, full)));
    } else if (entry.isFile()) {
      out.push(path.relative(root, full).split(path.sep).join('/'));
    }
  }
  return out.sort();
}
