import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Logger } from '../logging/logger.js';
import { ContentVerifier } from '../store/content-verifier.js';
import type { FileStore } from '../store/file-store.js';
import { SdcError } from '../errors/sdc-error.js';
import { VerifyingStream } from '../store/verifying-stream.js';
import { CopyVerificationError, NoVerifiedCopyError } from './archive-errors.js';
import type { ArchiveCopyRow, ArchiveDb, ArchivedFileRow } from './archive-tables.js';

/** What a restore needs to know of a file. */
export type RestorableFile = Pick<ArchivedFileRow, 'id' | 'name' | 'store_key' | 'size' | 'sha256'>;
import { copiesOf } from './backup-catalog.js';
import { restoreTierOf, type BackupTarget, type RestoreTier } from './targets/backup-target.js';

/** What happened to one file: put back, or waiting on a cold restore (`requested` now, `in-progress` still). */
export type RestoreOutcome = { status: 'restored'; target: string } | { status: 'requested' | 'in-progress'; target: string };

export interface RestoreServiceOptions {
  db: ArchiveDb;
  store: FileStore;
  logger: Logger;
  /** Scratch folder for restored bytes before they are verified (same machine as the process). */
  scratchDir: string;
}

/**
 * Restore from a backup target into the hot store. The copy is streamed into a scratch file
 * through a size and sha256 check against the catalog, and only a copy that verifies is put
 * into the hot store (whose put checks again and replaces atomically); a corrupted copy is
 * refused with CopyVerificationError and nothing is replaced. Cold copies are first requested
 * (tracked in `archive_restores`), then completed by a later call once the target says ready.
 */
export class RestoreService {
  constructor(private readonly options: RestoreServiceOptions) {}

  /**
   * Restores `file` from `target`, or from the first target holding a copy that verifies.
   * @param tier the restore tier for cold copies; default each target's configured `restoreTier`
   */
  async restore(file: RestorableFile, targets: readonly BackupTarget[], tier?: RestoreTier): Promise<RestoreOutcome> {
    const copies = await copiesOf(this.options.db, file.id);
    const usable = targets.map((t) => ({ target: t, copy: copies.find((c) => c.target === t.name) })).filter((u): u is { target: BackupTarget; copy: ArchiveCopyRow } => u.copy !== undefined);
    const refused: string[] = [];
    for (const { target, copy } of usable) {
      try {
        return await this.restoreFrom(file, target, copy, restoreTierOf(target, tier));
      } catch (error) {
        if (!(error instanceof CopyVerificationError) || usable.length === 1) throw error;
        refused.push(`${target.name}: ${error.message}`);
        this.options.logger.warn('refused a corrupted copy; trying the next target', { fileName: file.name, target: target.name });
      }
    }
    throw new NoVerifiedCopyError(file.name, refused.length > 0 ? refused : targets.map((t) => t.name));
  }

  private async restoreFrom(file: RestorableFile, target: BackupTarget, copy: ArchiveCopyRow, tier: RestoreTier): Promise<RestoreOutcome> {
    if (target.restorer) {
      const status = await target.restorer.status(copy.location);
      if (status !== 'ready') {
        if (status === 'not-requested') await target.restorer.request(copy.location, tier);
        await this.track(file.id, target.name, { state: 'requested', tier });
        return { status: status === 'not-requested' ? 'requested' : 'in-progress', target: target.name };
      }
    }
    const scratch = await this.verifiedScratchCopy(file, target, copy.location);
    try {
      await this.options.store.putFile(file.store_key, scratch, { size: file.size, sha256: file.sha256 });
    } finally {
      await rm(scratch, { force: true });
    }
    await this.options.db.updateTable('files').set({ hot_pruned_at: null }).where('id', '=', file.id).execute();
    await this.track(file.id, target.name, { state: 'completed', tier, completed_at: new Date() });
    this.options.logger.info('restored a file', { fileName: file.name, target: target.name });
    return { status: 'restored', target: target.name };
  }

  /** Streams the copy into a scratch file through the catalog's size and sha256; refuses a mismatch. */
  private async verifiedScratchCopy(file: RestorableFile, target: BackupTarget, location: string): Promise<string> {
    await mkdir(this.options.scratchDir, { recursive: true });
    const scratch = path.join(this.options.scratchDir, randomUUID());
    const expected = { size: file.size, sha256: file.sha256 };
    const verifier = new ContentVerifier(location, target.description, expected);
    try {
      await pipeline(await target.read(location), new VerifyingStream(verifier), createWriteStream(scratch, { flags: 'wx' }));
      return scratch;
    } catch (error) {
      await rm(scratch, { force: true });
      // The verifier's own mismatch, or one the target found reading (a Glacier tree hash).
      if (error instanceof SdcError && (error.code === 'checksum-mismatch' || error.code === 'size-mismatch')) {
        await this.track(file.id, target.name, { state: 'failed', tier: 'n/a', error: error.message });
        throw error instanceof CopyVerificationError ? error : new CopyVerificationError(target.name, location, expected, { size: verifier.bytes }, { cause: error });
      }
      throw error;
    }
  }

  private async track(fileId: number, target: string, row: { state: 'requested' | 'completed' | 'failed'; tier: string; error?: string; completed_at?: Date }): Promise<void> {
    await this.options.db
      .insertInto('archive_restores')
      .values({ file_id: fileId, target, state: row.state, tier: row.tier, error: row.error ?? null, completed_at: row.completed_at ?? null })
      .onConflict((oc) => oc.columns(['file_id', 'target']).doUpdateSet({ state: row.state, error: row.error ?? null, completed_at: row.completed_at ?? null }))
      .execute();
  }
}
