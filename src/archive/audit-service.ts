import { createReadStream } from 'node:fs';
import path from 'node:path';
import type { Logger } from '../logging/logger.js';
import type { FileStore } from '../store/file-store.js';
import { AuditAbortedError } from './archive-errors.js';
import type { ArchiveDb, AuditFindingKind, SystemItemRow } from './archive-tables.js';
import { finishAuditRun, recordFindings, recordRepair, startAuditRun, type NewFinding } from './audit-catalog.js';
import { findingOf, scanExpected, scanLocation, type ExpectedCopy, type LocationReader, type ScanResult } from './audit-scan.js';
import type { BackupService } from './backup-service.js';
import { moveDarkObjectAside } from './dark-file-mover.js';
import type { RestoreService } from './restore-service.js';
import { compareDigest, digestStream } from './stream-digest.js';
import { livePathOf, type SystemSource } from './system/system-items.js';
import type { BackupTarget } from './targets/backup-target.js';

/** What an audit of one location found and did. */
export interface AuditReport {
  location: string;
  runId: number;
  checked: number;
  findings: { kind: AuditFindingKind; key: string; repaired: boolean; repair: string | undefined }[];
  repaired: number;
  /** Why nothing was checked (a vault inventory not retrieved yet). */
  note?: string;
}

export interface AuditServiceOptions {
  db: ArchiveDb;
  store: FileStore;
  logger: Logger;
  backup: BackupService;
  restore: RestoreService;
  /** Where dark objects of the hot store are moved aside. */
  darkDir: string;
  /** Above this share of bad entries the audit stops without repairing (AuditAbortedError). */
  maxProblemShare: number;
  repair: boolean;
  /** Re-hash every copy, not only compare sizes. */
  checksums: boolean;
  /** The served mission: the live files system items are repaired from. */
  system?: SystemSource;
}

type Repair = (finding: NewFinding) => Promise<{ repaired: boolean; note: string }>;

/**
 * The integrity audit: the catalog against the hot store and against each backup target.
 * Findings are recorded; an implausibly large share stops the audit (a wrong mount or a bad
 * listing must not trigger mass repairs). Repair re-checks each finding first, re-copies only
 * from a copy whose sha256 verifies (restore and backup both verify), and deletes nothing that
 * is the last copy: a dark hot object is moved aside only once its copy reads back the same.
 */
export class AuditService {
  constructor(private readonly options: AuditServiceOptions) {}

  /** Audits the hot store; repairs from the targets' verified copies. */
  async auditHot(targets: readonly BackupTarget[]): Promise<AuditReport> {
    const { db, store } = this.options;
    const files = await db.selectFrom('files').select(['id', 'store_key', 'size', 'sha256']).where('hot_pruned_at', 'is', null).execute();
    const expected = new Map(files.map((f) => [f.store_key, { key: f.store_key, fileId: f.id, size: f.size, sha256: f.sha256 }]));
    const reader: LocationReader = {
      list: () => store.list(),
      verify: async (want) => {
        const stat = await store.stat(want.key);
        if (!stat) return { state: 'missing' };
        if (stat.size !== want.size) return { state: 'size-mismatch', size: stat.size };
        return compareDigest(await digestStream(await store.read(want.key)), want);
      },
    };
    return this.audit('hot', expected, reader, async (finding) => {
      if (finding.kind === 'dark') return this.repairDarkHot(finding.key);
      const want = expected.get(finding.key)!;
      if (await this.intactNow(reader, want)) return { repaired: false, note: 'intact on re-check' };
      const file = await db.selectFrom('files').selectAll().where('id', '=', want.fileId).executeTakeFirstOrThrow();
      const outcome = await this.options.restore.restore(file, targets);
      if (outcome.status === 'restored') return { repaired: true, note: `re-copied from ${outcome.target}` };
      return { repaired: false, note: `cold restore ${outcome.status} in ${outcome.target}; re-run when it is ready` };
    });
  }

  /** Audits one target; repairs from the hot store's copy, which must match the catalog. */
  async auditTarget(target: BackupTarget): Promise<AuditReport> {
    const inventory = await target.inventory?.();
    if (inventory?.state === 'pending') return this.postponed(target.name, inventory.note);
    let query = this.options.db.selectFrom('archive_copies').select(['file_id', 'location', 'size', 'sha256']).where('target', '=', target.name);
    // An inventory shows the target as it was at its date: later copies cannot be in it.
    if (inventory) query = query.where('backed_up_at', '<', inventory.asOf);
    const copies = await query.execute();
    const expected = new Map(copies.map((c) => [c.location, { key: c.location, fileId: c.file_id, size: c.size, sha256: c.sha256 }]));
    const reader: LocationReader = {
      list: async function* () {
        for await (const entry of target.list()) yield { key: entry.location, size: entry.size };
      },
      verify: (want) => target.check(want.key, want, { reread: this.options.checksums }),
    };
    return this.audit(target.name, expected, reader, async (finding) => {
      if (finding.kind === 'dark') return { repaired: false, note: 'left in place: an audit never deletes from a backup target' };
      const want = expected.get(finding.key)!;
      if (await this.intactNow(reader, want)) return { repaired: false, note: 'intact on re-check' };
      const file = await this.options.db.selectFrom('files').selectAll().where('id', '=', want.fileId).executeTakeFirstOrThrow();
      await this.options.backup.backupOne(target, file, null);
      return { repaired: true, note: 're-copied from the hot store' };
    });
  }

  /**
   * Audits the copies of system items (processor bundles, mission configuration) in one target,
   * as location `<target>/system`: each recorded copy is checked (re-hashed where the target
   * allows it). A missing or bad copy is re-copied from a source whose sha256 verifies: the live
   * file when it is still the same content, else another target's copy (read through the
   * check, so a bad one is refused before anything is completed). Nothing is deleted.
   */
  async auditSystem(target: BackupTarget, others: readonly BackupTarget[]): Promise<AuditReport> {
    const location = systemLocation(target.name);
    const inventory = await target.inventory?.();
    if (inventory?.state === 'pending') return this.postponed(location, inventory.note);
    let query = this.options.db
      .selectFrom('archive_system_copies as c')
      .innerJoin('archive_system_items as i', 'i.id', 'c.item_id')
      .selectAll('i')
      .select(['c.location', 'c.size as copy_size', 'c.sha256 as copy_sha256'])
      .where('c.target', '=', target.name);
    if (inventory) query = query.where('c.backed_up_at', '<', inventory.asOf);
    const rows = await query.orderBy('i.id').execute();
    const items = new Map<string, SystemItemRow>(rows.map((r) => [r.location, r]));
    const expected = new Map(rows.map((r) => [r.location, { key: r.location, fileId: null, size: r.copy_size, sha256: r.copy_sha256 }]));
    const reader = { verify: (want: ExpectedCopy) => target.check(want.key, want, { reread: this.options.checksums }) };
    return this.audit(location, expected, () => scanExpected(expected, reader), async (finding) => {
      const want = expected.get(finding.key)!;
      if (await this.intactNow(reader, want)) return { repaired: false, note: 'intact on re-check' };
      return this.repairSystemCopy(target, items.get(finding.key)!, others.filter((o) => o.name !== target.name));
    });
  }

  /** Re-copies a system item into `target` from the first source whose bytes verify. */
  private async repairSystemCopy(target: BackupTarget, item: SystemItemRow, others: readonly BackupTarget[]): Promise<{ repaired: boolean; note: string }> {
    const { db, backup, system } = this.options;
    const live = system ? await livePathOf(db, system, item) : undefined;
    if (live && (await liveFileMatches(live, item))) {
      await backup.backupSystemItem(target, item, createReadStream(live), `folder:${path.dirname(live)}`, null);
      return { repaired: true, note: `re-copied from ${live}` };
    }
    const refused: string[] = [];
    for (const other of others) {
      const copy = await db.selectFrom('archive_system_copies').select('location').where('item_id', '=', item.id).where('target', '=', other.name).executeTakeFirst();
      // A cold copy needs a restore first: `sdc restore --system` brings it back.
      if (!copy || other.restorer) continue;
      try {
        await backup.backupSystemItem(target, item, await other.read(copy.location), other.description, null);
        return { repaired: true, note: `re-copied from ${other.name}` };
      } catch (error) {
        refused.push(`${other.name}: ${(error as Error).message}`);
      }
    }
    const tried = [live ? `${live} has changed` : 'no live file', ...refused].join('; ');
    return { repaired: false, note: `no verified copy to repair from (${tried}); left as it is` };
  }

  /** Records that a location could not be audited yet (no inventory), and why. */
  private async postponed(location: string, note: string): Promise<AuditReport> {
    const runId = await startAuditRun(this.options.db, location);
    await finishAuditRun(this.options.db, runId, { state: 'done', checked: 0, problems: 0, repaired: 0, note });
    this.options.logger.warn('audit postponed', { location, note });
    return { location, runId, checked: 0, findings: [], repaired: 0, note };
  }

  private async audit(location: string, expected: ReadonlyMap<string, ExpectedCopy>, reader: LocationReader | (() => Promise<ScanResult>), repair: Repair): Promise<AuditReport> {
    const { db, logger } = this.options;
    const runId = await startAuditRun(db, location);
    const log = logger.child({ auditRunId: runId, location });
    try {
      const scan = typeof reader === 'function' ? await reader() : await scanLocation(expected, reader, this.options.checksums);
      const ids = await recordFindings(db, runId, location, scan.findings);
      const problems = scan.findings.length;
      if (problems > 0 && problems / Math.max(scan.checked, 1) > this.options.maxProblemShare) {
        const error = new AuditAbortedError(location, problems, scan.checked, this.options.maxProblemShare);
        await finishAuditRun(db, runId, { state: 'aborted', checked: scan.checked, problems, repaired: 0, note: error.message });
        log.error('audit stopped: too many problems to act on', { problems, checked: scan.checked });
        throw error;
      }
      const findings: AuditReport['findings'] = [];
      for (const [i, finding] of scan.findings.entries()) {
        const outcome = this.options.repair ? await this.tryRepair(repair, finding) : { repaired: false, note: 'repair disabled' };
        await recordRepair(db, ids[i]!, outcome.repaired, outcome.note);
        findings.push({ kind: finding.kind, key: finding.key, repaired: outcome.repaired, repair: outcome.note });
        log.warn('audit finding', { kind: finding.kind, key: finding.key, repaired: outcome.repaired, repair: outcome.note });
      }
      const repaired = findings.filter((f) => f.repaired).length;
      await finishAuditRun(db, runId, { state: 'done', checked: scan.checked, problems, repaired });
      log.info('audit finished', { checked: scan.checked, problems, repaired });
      return { location, runId, checked: scan.checked, findings, repaired };
    } catch (error) {
      if (!(error instanceof AuditAbortedError)) await finishAuditRun(db, runId, { state: 'failed', checked: 0, problems: 0, repaired: 0, note: (error as Error).message }).catch(() => {});
      throw error;
    }
  }

  private async tryRepair(repair: Repair, finding: NewFinding): Promise<{ repaired: boolean; note: string }> {
    try {
      return await repair(finding);
    } catch (error) {
      return { repaired: false, note: `not repaired: ${(error as Error).message}` };
    }
  }

  /** A finding is a candidate: the copy is checked again (size and sha256) before anything is done. */
  private async intactNow(reader: Pick<LocationReader, 'verify'>, want: ExpectedCopy): Promise<boolean> {
    return findingOf(await reader.verify(want)) === undefined;
  }

  private async repairDarkHot(key: string): Promise<{ repaired: boolean; note: string }> {
    const catalogued = await this.options.db.selectFrom('files').select('id').where('store_key', '=', key).executeTakeFirst();
    if (catalogued) return { repaired: false, note: 'catalogued on re-check' };
    const where = await moveDarkObjectAside(this.options.store, key, this.options.darkDir);
    return { repaired: true, note: `moved aside to ${where}` };
  }
}

/** The audit location of a target's system item copies. */
export function systemLocation(target: string): string {
  return `${target}/system`;
}

async function liveFileMatches(file: string, item: SystemItemRow): Promise<boolean> {
  try {
    return findingOf(compareDigest(await digestStream(createReadStream(file)), item)) === undefined;
  } catch {
    return false;
  }
}
