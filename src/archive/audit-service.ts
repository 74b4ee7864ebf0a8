import type { Logger } from '../logging/logger.js';
import type { FileStore } from '../store/file-store.js';
import { AuditAbortedError } from './archive-errors.js';
import type { ArchiveDb, AuditFindingKind } from './archive-tables.js';
import { finishAuditRun, recordFindings, recordRepair, startAuditRun, type NewFinding } from './audit-catalog.js';
import { findingOf, scanLocation, type ExpectedCopy, type LocationReader } from './audit-scan.js';
import type { BackupService } from './backup-service.js';
import { moveDarkObjectAside } from './dark-file-mover.js';
import type { RestoreService } from './restore-service.js';
import { compareDigest, digestStream } from './stream-digest.js';
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

  /** Records that a location could not be audited yet (no inventory), and why. */
  private async postponed(location: string, note: string): Promise<AuditReport> {
    const runId = await startAuditRun(this.options.db, location);
    await finishAuditRun(this.options.db, runId, { state: 'done', checked: 0, problems: 0, repaired: 0, note });
    this.options.logger.warn('audit postponed', { location, note });
    return { location, runId, checked: 0, findings: [], repaired: 0, note };
  }

  private async audit(location: string, expected: ReadonlyMap<string, ExpectedCopy>, reader: LocationReader, repair: Repair): Promise<AuditReport> {
    const { db, logger } = this.options;
    const runId = await startAuditRun(db, location);
    const log = logger.child({ auditRunId: runId, location });
    try {
      const scan = await scanLocation(expected, reader, this.options.checksums);
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
  private async intactNow(reader: LocationReader, want: ExpectedCopy): Promise<boolean> {
    return findingOf(await reader.verify(want)) === undefined;
  }

  private async repairDarkHot(key: string): Promise<{ repaired: boolean; note: string }> {
    const catalogued = await this.options.db.selectFrom('files').select('id').where('store_key', '=', key).executeTakeFirst();
    if (catalogued) return { repaired: false, note: 'catalogued on re-check' };
    const where = await moveDarkObjectAside(this.options.store, key, this.options.darkDir);
    return { repaired: true, note: `moved aside to ${where}` };
  }
}
