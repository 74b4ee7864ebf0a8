import path from 'node:path';
import type { Kysely } from 'kysely';
import cron, { type ScheduledTask } from 'node-cron';
import type { CatalogSchema } from '../catalog/catalog-schema.js';
import { SdcError } from '../errors/sdc-error.js';
import type { Logger } from '../logging/logger.js';
import type { FileStore } from '../store/file-store.js';
import type { ArchiveConfig } from './archive-config.js';
import { UnknownTargetError } from './archive-errors.js';
import { archiveDb, type ArchiveDb } from './archive-tables.js';
import { AuditService, systemLocation, type AuditReport } from './audit-service.js';
import { BackupService, type BackupProgress, type BackupResult } from './backup-service.js';
import { RestoreService } from './restore-service.js';
import { RetentionService, type PruneResult } from './retention-service.js';
import type { SystemSource } from './system/system-items.js';
import { SystemRestoreService, type SystemRestoreResult, type SystemSelection } from './system/system-restore.js';
import type { BackupTarget, ColdRestorer, RestoreTier } from './targets/backup-target.js';
import { createBackupTarget } from './targets/create-backup-target.js';

/** How an audit location names a target's system item copies: `<target>/system`. */
const SYSTEM_SUFFIX = systemLocation('');

export interface ArchiveOptions {
  db: Kysely<CatalogSchema>;
  store: FileStore;
  config: ArchiveConfig;
  /** The SDC's data folder: default folder target `<dataDir>/backup`, scratch and dark folders. */
  dataDir: string;
  logger: Logger;
  /** Per target name, a replacement for the cold-restore client (tests: no emulator implements it). */
  restorers?: Record<string, ColdRestorer>;
  /** See BackupServiceOptions.staleRunMs. */
  staleRunMs?: number;
  /** The served mission: its processor bundles and configuration files are backed up too. */
  mission?: SystemSource;
}

/**
 * The archive: backup targets and the backup, restore and audit services over them, plus the
 * schedules `sdc up` runs. Opened once per process by the composition root.
 */
export class Archive {
  readonly db: ArchiveDb;
  readonly backups: BackupService;
  readonly restores: RestoreService;
  readonly audits: AuditService;
  readonly retention: RetentionService;
  private readonly tasks: ScheduledTask[] = [];

  private constructor(private readonly options: ArchiveOptions, readonly targets: readonly BackupTarget[]) {
    this.db = archiveDb(options.db);
    const logger = options.logger;
    this.backups = new BackupService({ db: this.db, store: options.store, logger, concurrency: options.config.concurrency, staleRunMs: options.staleRunMs, system: options.mission });
    this.restores = new RestoreService({ db: this.db, store: options.store, logger, scratchDir: path.join(options.dataDir, 'restore-scratch') });
    this.audits = new AuditService({
      db: this.db, store: options.store, logger, backup: this.backups, restore: this.restores,
      darkDir: path.join(options.dataDir, 'dark'), ...options.config.audit, system: options.mission,
    });
    this.retention = new RetentionService({ db: this.db, store: options.store, logger });
  }

  /** Opens every configured target. */
  static async open(options: ArchiveOptions): Promise<Archive> {
    const targets: BackupTarget[] = [];
    for (const config of options.config.targets) {
      targets.push(await createBackupTarget(config, path.join(options.dataDir, 'backup'), archiveDb(options.db), { restorer: options.restorers?.[config.name] }));
    }
    return new Archive(options, targets);
  }

  /**
   * Restores processor bundles and the mission configuration into `into` (one bundle with
   * `selection.bundle`), from `targetName` or the first target holding a verified copy.
   */
  async restoreSystem(into: string, options: { target?: string; tier?: RestoreTier } & SystemSelection = {}): Promise<SystemRestoreResult> {
    const mission = this.options.mission;
    if (!mission) throw new SdcError('invalid-request', 'this archive was opened without a mission: no processor bundle or mission configuration to restore');
    const targets = options.target ? [this.target(options.target)] : this.targets;
    return new SystemRestoreService({ db: this.db, logger: this.options.logger, mission: mission.mission }).restore(into, targets, options.tier, { bundle: options.bundle });
  }

  /** The target of that name; UnknownTargetError otherwise. */
  target(name: string): BackupTarget {
    const target = this.targets.find((t) => t.name === name);
    if (!target) throw new UnknownTargetError(name, this.targets.map((t) => t.name));
    return target;
  }

  /** Backs up to one target, or to every target in turn. */
  async backup(targetName?: string, onProgress?: (target: string, progress: BackupProgress) => void): Promise<BackupResult[]> {
    const targets = targetName ? [this.target(targetName)] : this.targets;
    const results: BackupResult[] = [];
    for (const target of targets) results.push(await this.backups.run(target, (p) => onProgress?.(target.name, p)));
    return results;
  }

  /**
   * Audits the hot store, then every target (or the named locations: `hot`, target names, or
   * `<target>/system`); a target's audit is followed by that of its system item copies
   * (`<target>/system`) when the archive serves a mission.
   */
  async audit(locations?: readonly string[]): Promise<AuditReport[]> {
    const wanted = locations ?? ['hot', ...this.targets.map((t) => t.name)];
    const reports: AuditReport[] = [];
    for (const location of wanted) {
      if (location === 'hot') {
        reports.push(await this.audits.auditHot(this.targets));
      } else if (location.endsWith(SYSTEM_SUFFIX)) {
        reports.push(await this.audits.auditSystem(this.target(location.slice(0, -SYSTEM_SUFFIX.length)), this.targets));
      } else {
        reports.push(await this.audits.auditTarget(this.target(location)));
        if (this.options.mission) reports.push(await this.audits.auditSystem(this.target(location), this.targets));
      }
    }
    return reports;
  }

  /**
   * Removes the hot copies of superseded versions older than `archive.retention.pruneSupersededAfterDays`
   * once verified in every target; nothing when the key is absent.
   */
  async prune(options: { dryRun?: boolean } = {}): Promise<PruneResult> {
    const days = this.options.config.retention.pruneSupersededAfterDays;
    if (days === undefined) return { pruned: [], kept: [] };
    return this.retention.prune(this.targets, days, options);
  }

  /** Starts the configured cron schedules (none configured: nothing runs). A run still going when its next time comes is skipped. */
  startSchedule(): void {
    const { schedule } = this.options.config;
    const logger = this.options.logger;
    const add = (expression: string | undefined, name: string, work: () => Promise<unknown>) => {
      if (!expression) return;
      this.tasks.push(cron.schedule(expression, () => work().catch((error: Error) => logger.error(`scheduled ${name} failed`, { error: error.message })), { name, noOverlap: true }));
    };
    add(schedule.backup, 'backup', () => this.backup());
    add(schedule.audit, 'audit', () => this.audit());
    add(schedule.retention, 'retention', () => this.prune());
  }

  async close(): Promise<void> {
    for (const task of this.tasks.splice(0)) await task.stop();
    for (const target of this.targets) await target.close();
  }
}
