import { sql } from 'kysely';
import type { Logger } from '../logging/logger.js';
import type { FileStore } from '../store/file-store.js';
import type { ArchiveDb } from './archive-tables.js';
import type { BackupTarget } from './targets/backup-target.js';

/** What a pruning pass did. */
export interface PruneResult {
  pruned: { name: string; key: string }[];
  /** Candidates kept because a copy did not verify just before the delete. */
  kept: { name: string; reason: string }[];
}

/**
 * Retention of the hot store: removes the hot copy of superseded versions (a newer version of
 * the same file exists) ingested more than `olderThanDays` ago, and only when every configured
 * target holds a recorded copy that verifies again just before the delete. The newest version
 * is never a candidate. The catalog row stays, marked `hot_pruned_at`; `sdc restore` brings the
 * bytes back.
 */
export class RetentionService {
  constructor(private readonly options: { db: ArchiveDb; store: FileStore; logger: Logger }) {}

  async prune(targets: readonly BackupTarget[], olderThanDays: number, options: { dryRun?: boolean } = {}): Promise<PruneResult> {
    const result: PruneResult = { pruned: [], kept: [] };
    if (targets.length === 0) return result;
    for (const file of await this.candidates(targets, olderThanDays)) {
      const failure = await this.unverifiedCopy(file, targets);
      if (failure) {
        result.kept.push({ name: file.name, reason: failure });
        this.options.logger.warn('superseded version kept in the hot store', { fileName: file.name, reason: failure });
        continue;
      }
      if (!options.dryRun) {
        await this.options.store.delete(file.store_key);
        await this.options.db.updateTable('files').set({ hot_pruned_at: new Date() }).where('id', '=', file.id).execute();
      }
      result.pruned.push({ name: file.name, key: file.store_key });
    }
    return result;
  }

  /** Superseded, old enough, still hot, with a recorded copy in every target. */
  private candidates(targets: readonly BackupTarget[], olderThanDays: number) {
    const names = targets.map((t) => t.name);
    return this.options.db
      .selectFrom('files as f')
      .select(['f.id', 'f.name', 'f.store_key', 'f.size', 'f.sha256'])
      .where('f.hot_pruned_at', 'is', null)
      .where('f.ingested_at', '<', new Date(Date.now() - olderThanDays * 86_400_000))
      .where((eb) => eb.exists(eb.selectFrom('files as newer').select('newer.id').whereRef('newer.mission', '=', 'f.mission').whereRef('newer.tier', '=', 'f.tier').whereRef('newer.stem', '=', 'f.stem').whereRef('newer.version', '>', 'f.version')))
      .where(sql<boolean>`(select count(distinct c.target) from archive_copies c where c.file_id = f.id and c.target in (${sql.join(names)})) = ${names.length}`)
      .orderBy('f.id')
      .execute();
  }

  /** Why a copy cannot be trusted now, or undefined when every target's copy verifies. */
  private async unverifiedCopy(file: { id: number; size: number; sha256: string }, targets: readonly BackupTarget[]): Promise<string | undefined> {
    const copies = await this.options.db.selectFrom('archive_copies').select(['target', 'location']).where('file_id', '=', file.id).execute();
    for (const target of targets) {
      const copy = copies.find((c) => c.target === target.name);
      if (!copy) return `no copy in ${target.name}`;
      const check = await target.check(copy.location, file);
      if (check.state !== 'ok') return `the copy in ${target.name} is ${check.state}`;
    }
    return undefined;
  }
}
