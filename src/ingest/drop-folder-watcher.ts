import { watch, type FSWatcher } from 'node:fs';
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../logging/logger.js';
import type { IngestOutcome, IngestService } from './ingest-service.js';

export interface DropFolderOptions {
  folder: string;
  /** Batches of arrivals ingested at once. */
  concurrency: number;
  /** Arrivals recorded in one catalog transaction. */
  batchSize: number;
  /** A file is taken once its size has been stable this long; 0 trusts that files appear complete (renamed in). */
  stableMs: number;
  /** The folder is also listed this often, to catch what file-system events missed. */
  scanIntervalMs?: number;
  /** Called after each arrival is handled (progress, tests). */
  onOutcome?: (name: string, outcome: IngestOutcome) => void;
}

/** Names a sender uses while a file is still being written; they are left alone. */
const IN_PROGRESS = /(^\.)|(\.(part|tmp|filepart|partial|crdownload)$)/i;
const RETRY_MS = 5_000;
const SCAN_INTERVAL_MS = 10_000;

/**
 * Watches the drop folder where the POC/MOC deliver files (its top level): every file present
 * at start and every new one is ingested, then removed from the folder (it is in the store, or
 * in quarantine). Arrivals that come together are ingested in batches.
 *
 * File-system events (inotify) say which name changed, so an arrival costs O(1) whatever the
 * folder holds; a periodic listing catches anything the events missed (overflow, NFS).
 */
export class DropFolderWatcher {
  private watcher: FSWatcher | undefined;
  private readonly pending: string[] = [];
  private readonly seen = new Set<string>();
  private readonly inFlight = new Set<Promise<void>>();
  private pumpScheduled = false;

  constructor(
    private readonly ingest: IngestService,
    private readonly options: DropFolderOptions,
    private readonly logger: Logger,
  ) {}

  private scanTimer: NodeJS.Timeout | undefined;
  private readonly settling = new Map<string, NodeJS.Timeout>();

  /** Starts watching; resolves once the files already present are queued. */
  async start(): Promise<void> {
    await mkdir(this.options.folder, { recursive: true });
    this.watcher = watch(this.options.folder, (_event, name) => name && this.consider(path.join(this.options.folder, name.toString())));
    this.watcher.on('error', (error) => this.logger.error('drop folder watch failed', { folder: this.options.folder, error: error.message }));
    await this.scan();
    this.scanTimer = setInterval(() => void this.scan(), this.options.scanIntervalMs ?? SCAN_INTERVAL_MS);
    this.scanTimer.unref();
    this.logger.info('watching drop folder', { folder: this.options.folder });
  }

  /** Stops watching and waits for the batches being ingested; queued files stay in the folder. */
  async stop(): Promise<void> {
    this.watcher?.close();
    this.watcher = undefined;
    clearInterval(this.scanTimer);
    for (const timer of this.settling.values()) clearTimeout(timer);
    this.settling.clear();
    this.pending.length = 0;
    await Promise.all([...this.inFlight]);
  }

  private async scan(): Promise<void> {
    try {
      for (const entry of await readdir(this.options.folder, { withFileTypes: true })) {
        if (entry.isFile()) this.consider(path.join(this.options.folder, entry.name));
      }
    } catch (error) {
      this.logger.error('drop folder cannot be listed', { folder: this.options.folder, error: (error as Error).message });
    }
  }

  /** A name appeared or changed: take it now, or once its size has stopped changing. */
  private consider(file: string): void {
    if (!this.watcher || this.seen.has(file) || IN_PROGRESS.test(path.basename(file))) return;
    if (this.options.stableMs === 0) return void this.isFile(file).then((yes) => yes && this.take(file));
    clearTimeout(this.settling.get(file));
    this.settling.set(file, setTimeout(() => void this.settle(file), this.options.stableMs));
  }

  private async settle(file: string, previousSize?: number): Promise<void> {
    const size = await stat(file).then((s) => (s.isFile() ? s.size : undefined), () => undefined);
    if (size === undefined || !this.watcher) return void this.settling.delete(file);
    if (size !== previousSize) return void this.settling.set(file, setTimeout(() => void this.settle(file, size), this.options.stableMs));
    this.settling.delete(file);
    this.take(file);
  }

  private async isFile(file: string): Promise<boolean> {
    return stat(file).then((s) => s.isFile(), () => false);
  }

  private take(file: string): void {
    if (this.seen.has(file)) return;
    this.seen.add(file);
    this.pending.push(file);
    // Files announced in the same turn of the event loop go into the same batch.
    if (this.pumpScheduled) return;
    this.pumpScheduled = true;
    setImmediate(() => {
      this.pumpScheduled = false;
      this.pump();
    });
  }

  private pump(): void {
    while (this.inFlight.size < this.options.concurrency && this.pending.length > 0) {
      const batch = this.pending.splice(0, this.options.batchSize);
      const task = this.handle(batch).finally(() => {
        this.inFlight.delete(task);
        for (const file of batch) this.seen.delete(file);
        this.pump();
      });
      this.inFlight.add(task);
    }
  }

  private async handle(files: string[]): Promise<void> {
    try {
      const outcomes = await this.ingest.ingestMany(files.map((file) => ({ path: file, name: path.basename(file), source: 'drop' as const })));
      await Promise.all(outcomes.map(async (outcome, i) => {
        if (outcome.status !== 'quarantined') await rm(files[i]!, { force: true });
        this.options.onOutcome?.(path.basename(files[i]!), outcome);
      }));
    } catch (error) {
      // The catalog or the store is unavailable: the files stay in the drop folder and are
      // taken again a little later.
      this.logger.error('arrivals could not be ingested; left in the drop folder for a retry', { files: files.length, error: (error as Error).message });
      if (!this.watcher) return;
      setTimeout(() => files.forEach((file) => this.consider(file)), RETRY_MS).unref();
    }
  }
}
