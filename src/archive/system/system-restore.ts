import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { SdcError } from '../../errors/sdc-error.js';
import type { Logger } from '../../logging/logger.js';
import { bundleHash } from '../../processors/bundle-hash.js';
import { ContentVerifier } from '../../store/content-verifier.js';
import { VerifyingStream } from '../../store/verifying-stream.js';
import { NoVerifiedCopyError } from '../archive-errors.js';
import type { ArchiveDb, SystemItemRow } from '../archive-tables.js';
import { restoreTierOf, type BackupTarget, type RestoreTier } from '../targets/backup-target.js';

/** Which system items to restore: every bundle and the newest mission configuration, or one bundle. */
export interface SystemSelection {
  /** `name@version` of one processor bundle. */
  bundle?: string;
}

/** What a restore of system items did, by item key. */
export interface SystemRestoreResult {
  restored: string[];
  /** Cold copies requested or still being restored: run the restore again later. */
  pending: string[];
  failed: { key: string; error: Error }[];
}

/**
 * Restores processor bundles and the mission configuration from backup targets into a folder
 * (never over the live mission folder): `<into>/processors/<name>@<version>/...` and
 * `<into>/mission/...`. Each file is streamed through its recorded size and sha256 into a
 * temporary name and renamed only once it verifies; a restored bundle must then hash to its
 * deployed identity (`bundle_sha256`). Cold copies are requested first, as for files.
 */
export class SystemRestoreService {
  constructor(private readonly options: { db: ArchiveDb; logger: Logger; mission: string }) {}

  async restore(into: string, targets: readonly BackupTarget[], tier: RestoreTier | undefined, selection: SystemSelection = {}): Promise<SystemRestoreResult> {
    const items = await this.selected(selection);
    if (items.length === 0) throw new SdcError('not-found', selection.bundle ? `no backed-up processor bundle '${selection.bundle}'` : 'no processor bundle or mission configuration has been backed up yet', { bundle: selection.bundle });
    const result: SystemRestoreResult = { restored: [], pending: [], failed: [] };
    for (const item of items) {
      try {
        const outcome = await this.restoreItem(item, path.join(into, layoutOf(item)), targets, tier);
        (outcome === 'restored' ? result.restored : result.pending).push(item.key);
      } catch (error) {
        result.failed.push({ key: item.key, error: error as Error });
        this.options.logger.warn('a system item was not restored', { key: item.key, error: (error as Error).message });
      }
    }
    await this.checkBundles(into, items, result);
    return result;
  }

  /** Bundle items (all, or one bundle's) and, unless one bundle is asked for, the newest configuration file of each path. */
  private async selected(selection: SystemSelection): Promise<SystemItemRow[]> {
    const { db, mission } = this.options;
    let bundles = db.selectFrom('archive_system_items').selectAll().where('mission', '=', mission).where('kind', '=', 'processor-bundle');
    if (selection.bundle) bundles = bundles.where('owner', '=', selection.bundle);
    const items = await bundles.orderBy('id').execute();
    if (selection.bundle) return items;
    const config = await db.selectFrom('archive_system_items').selectAll().where('mission', '=', mission).where('kind', '=', 'mission-config').orderBy('id', 'desc').execute();
    const newest = new Map<string, SystemItemRow>();
    for (const item of config) if (!newest.has(item.path)) newest.set(item.path, item);
    return [...items, ...newest.values()];
  }

  private async restoreItem(item: SystemItemRow, destination: string, targets: readonly BackupTarget[], tier: RestoreTier | undefined): Promise<'restored' | 'pending'> {
    const copies = await this.options.db.selectFrom('archive_system_copies').selectAll().where('item_id', '=', item.id).execute();
    const refused: string[] = [];
    for (const target of targets) {
      const copy = copies.find((c) => c.target === target.name);
      if (!copy) continue;
      if (target.restorer) {
        const status = await target.restorer.status(copy.location);
        if (status === 'not-requested') await target.restorer.request(copy.location, restoreTierOf(target, tier));
        if (status !== 'ready') return 'pending';
      }
      try {
        await verifiedWrite(item, target, copy.location, destination);
        return 'restored';
      } catch (error) {
        if (!(error instanceof SdcError) || (error.code !== 'checksum-mismatch' && error.code !== 'size-mismatch')) throw error;
        refused.push(`${target.name}: ${error.message}`);
      }
    }
    throw new NoVerifiedCopyError(item.key, refused.length > 0 ? refused : targets.map((t) => t.name));
  }

  /** A bundle whose every file was restored must hash to its deployed identity. */
  private async checkBundles(into: string, items: readonly SystemItemRow[], result: SystemRestoreResult): Promise<void> {
    const restored = new Set(result.restored);
    const owners = new Map<string, SystemItemRow[]>();
    for (const item of items) if (item.kind === 'processor-bundle') owners.set(item.owner, [...(owners.get(item.owner) ?? []), item]);
    for (const [owner, bundleItems] of owners) {
      if (!bundleItems.every((i) => restored.has(i.key))) continue;
      const folder = path.join(into, 'processors', owner);
      const actual = await bundleHash(folder);
      if (actual === bundleItems[0]!.bundle_sha256) continue;
      result.failed.push({ key: owner, error: new SdcError('checksum-mismatch', `restored bundle ${owner} hashes to ${actual}, not its deployed ${bundleItems[0]!.bundle_sha256}`, { owner }) });
    }
  }
}

/** Where an item goes under the restore folder. */
function layoutOf(item: SystemItemRow): string {
  return item.kind === 'processor-bundle' ? path.join('processors', item.owner, item.path) : path.join('mission', item.path);
}

async function verifiedWrite(item: SystemItemRow, target: BackupTarget, location: string, destination: string): Promise<void> {
  await mkdir(path.dirname(destination), { recursive: true });
  const temp = `${destination}.${randomUUID()}.tmp`;
  try {
    await pipeline(await target.read(location), new VerifyingStream(new ContentVerifier(location, target.description, { size: item.size, sha256: item.sha256 })), createWriteStream(temp, { flags: 'wx' }));
    await rename(temp, destination);
  } finally {
    await rm(temp, { force: true });
  }
}
