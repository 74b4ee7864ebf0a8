import { createReadStream } from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import pLimit, { type LimitFunction } from 'p-limit';
import type { Logger } from '../logging/logger.js';
import { ContentVerifier } from '../store/content-verifier.js';
import type { FileStore } from '../store/file-store.js';
import { VerifyingStream } from '../store/verifying-stream.js';
import { CopyVerificationError } from './archive-errors.js';
import type { ArchiveDb, ArchivedFileRow, SystemItemRow } from './archive-tables.js';
import { backlogOf, filesNotBackedUp, finishRun, recordCopy, recordSystemCopy, staleRuns, startRun, systemItemsWithoutCopy } from './backup-catalog.js';
import { writeRunManifest } from './backup-manifest.js';
import { currentSystemItems, type SystemSource } from './system/system-items.js';
import type { BackupTarget, CopyExpectation } from './targets/backup-target.js';

/** Progress of a run, after each file. */
export interface BackupProgress {
  done: number;
  total: number;
  bytes: number;
  totalBytes: number;
  fileName: string;
}

/** What a run did. */
export interface BackupResult {
  runId: number;
  target: string;
  /** Catalogued files copied. */
  files: number;
  /** Processor bundle and mission configuration files copied. */
  systemItems: number;
  bytes: number;
  /** Files (by name) and system items (by key) that failed. */
  failed: { fileName: string; error: Error }[];
  manifestKey: string;
  /** Runs killed earlier whose manifests this run wrote. */
  recoveredRuns: number[];
}

export interface BackupServiceOptions {
  db: ArchiveDb;
  store: FileStore;
  logger: Logger;
  /** Files copied at once. */
  concurrency: number;
  /** A run whose heartbeat is older than this was killed (default 10 minutes). */
  staleRunMs?: number;
  /** The mission whose processor bundles and configuration files are backed up too. */
  system?: SystemSource;
}

const BATCH = 500;
const DEFAULT_STALE_RUN_MS = 10 * 60_000;

/**
 * Incremental backup: every catalogued file with no copy in a target goes there once. Each
 * copy streams from the hot store through a size and sha256 check against the catalog, is
 * verified in the target after upload, and is recorded per (file, target) in its own
 * transaction; so a killed run loses at most the copies in flight, and the next run sends only
 * what is not recorded. After the files, the run copies the processor bundles' and mission
 * configuration's files the target lacks (see system-items.ts). A run ends with a manifest
 * (JSON lines) stored in the target.
 */
export class BackupService {
  private readonly staleRunMs: number;

  constructor(private readonly options: BackupServiceOptions) {
    this.staleRunMs = options.staleRunMs ?? DEFAULT_STALE_RUN_MS;
  }

  /** Backs up everything not yet in `target`; one file's failure is reported, not fatal. */
  async run(target: BackupTarget, onProgress?: (progress: BackupProgress) => void): Promise<BackupResult> {
    const { db, logger } = this.options;
    const recoveredRuns = await this.closeKilledRuns(target);
    const backlog = await backlogOf(db, target.name);
    const runId = await startRun(db, target.name);
    const log = logger.child({ target: target.name, runId });
    log.info('backup started', { files: backlog.files, bytes: backlog.bytes });
    const heartbeat = setInterval(() => void db.updateTable('archive_runs').set({ heartbeat_at: new Date() }).where('id', '=', runId).execute().catch(() => {}), Math.max(1000, this.staleRunMs / 4));
    const failed: BackupResult['failed'] = [];
    let files = 0;
    let bytes = 0;
    try {
      const limit = pLimit(this.options.concurrency);
      for (let afterId = 0; ; ) {
        const batch = await filesNotBackedUp(db, target.name, afterId, BATCH);
        if (batch.length === 0) break;
        afterId = batch[batch.length - 1]!.id;
        await Promise.all(
          batch.map((file) =>
            limit(async () => {
              try {
                await this.backupOne(target, file, runId);
                files++;
                bytes += file.size;
              } catch (error) {
                failed.push({ fileName: file.name, error: error as Error });
                log.error('backup of a file failed', { fileName: file.name, fileId: file.id, error: (error as Error).message });
              }
              onProgress?.({ done: files + failed.length, total: backlog.files, bytes, totalBytes: backlog.bytes, fileName: file.name });
            }),
          ),
        );
      }
      let systemTotal = 0;
      let systemDone = 0;
      const systemItems = await this.backupSystemItems(target, runId, limit, failed, (total) => {
        systemTotal = total;
        systemDone++;
        onProgress?.({ done: files + failed.length, total: backlog.files + systemTotal, bytes, totalBytes: backlog.bytes, fileName: `system item ${systemDone}` });
      });
      const manifest = await writeRunManifest(db, target, runId);
      const error = failed.length > 0 ? `${failed.length} files failed: ${failed.slice(0, 5).map((f) => f.fileName).join(', ')}` : undefined;
      await finishRun(db, runId, { state: failed.length > 0 ? 'failed' : 'done', manifestKey: manifest.key, error });
      log.info('backup finished', { files, systemItems, bytes, failed: failed.length, manifest: manifest.key });
      return { runId, target: target.name, files, systemItems, bytes, failed, manifestKey: manifest.key, recoveredRuns };
    } catch (error) {
      await finishRun(db, runId, { state: 'failed', error: (error as Error).message }).catch(() => {});
      throw error;
    } finally {
      clearInterval(heartbeat);
    }
  }

  /** Copies one file from the hot store into the target, verifies the copy, records it (with its run, if any). */
  async backupOne(target: BackupTarget, file: ArchivedFileRow, runId: number | null): Promise<void> {
    const expected = { size: file.size, sha256: file.sha256 };
    const location = await copyVerified(target, file.store_key, await this.options.store.read(file.store_key), this.options.store.description, expected);
    await recordCopy(this.options.db, { file_id: file.id, target: target.name, location, size: file.size, sha256: file.sha256, storage_class: target.storageClass ?? null, run_id: runId });
  }

  /** Copies one system item from `source` (its live file, or another target's copy) into the target, verified, and records the copy. */
  async backupSystemItem(target: BackupTarget, item: SystemItemRow, source: Readable, from: string, runId: number | null): Promise<void> {
    const expected = { size: item.size, sha256: item.sha256 };
    const location = await copyVerified(target, item.key, source, from, expected);
    await recordSystemCopy(this.options.db, { item_id: item.id, target: target.name, location, size: item.size, sha256: item.sha256, storage_class: target.storageClass ?? null, run_id: runId });
  }

  /** Copies the bundles' and the mission configuration's items that the target lacks; failures go to `failed`. */
  private async backupSystemItems(target: BackupTarget, runId: number, limit: LimitFunction, failed: BackupResult['failed'], onItem: (total: number) => void): Promise<number> {
    const { db, logger, system } = this.options;
    if (!system) return 0;
    const items = await systemItemsWithoutCopy(db, target.name, await currentSystemItems(db, system, logger));
    let copied = 0;
    await Promise.all(
      items.map(({ item, path: file }) =>
        limit(async () => {
          try {
            await this.backupSystemItem(target, item, createReadStream(file), `folder:${path.dirname(file)}`, runId);
            copied++;
          } catch (error) {
            failed.push({ fileName: item.key, error: error as Error });
            logger.error('backup of a system item failed', { target: target.name, key: item.key, error: (error as Error).message });
          }
          onItem(items.length);
        }),
      ),
    );
    return copied;
  }

  /** Writes the manifests of runs a killed process left 'running', and marks them interrupted. */
  private async closeKilledRuns(target: BackupTarget): Promise<number[]> {
    const runs = await staleRuns(this.options.db, target.name, new Date(Date.now() - this.staleRunMs));
    for (const { id } of runs) {
      const manifest = await writeRunManifest(this.options.db, target, id);
      await finishRun(this.options.db, id, { state: 'interrupted', manifestKey: manifest.key, error: 'the process running it stopped' });
      this.options.logger.warn('closed a backup run left by a stopped process', { target: target.name, runId: id, copies: manifest.lines });
    }
    return runs.map((r) => r.id);
  }
}

/**
 * Streams `source` into the target through a size and sha256 check (the stream errors before
 * its end on a mismatch, so nothing bad is completed), then checks the copy in the target.
 * @returns the copy's location
 */
async function copyVerified(target: BackupTarget, key: string, source: Readable, from: string, expected: CopyExpectation): Promise<string> {
  const body = new VerifyingStream(new ContentVerifier(key, from, expected));
  source.on('error', (error) => body.fail(error));
  source.pipe(body);
  let location: string;
  try {
    location = await target.put(key, body, expected);
  } catch (error) {
    throw body.failure ?? error;
  } finally {
    body.destroy();
    source.destroy();
  }
  const check = await target.check(location, expected);
  if (check.state !== 'ok') throw new CopyVerificationError(target.name, key, expected, check.state === 'missing' ? { size: 0 } : check);
  return location;
}
