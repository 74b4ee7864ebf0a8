import { randomUUID } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Kysely } from 'kysely';
import type { CatalogSchema } from '../catalog/catalog-schema.js';
import type { IngestService } from '../ingest/ingest-service.js';
import type { Logger } from '../logging/logger.js';
import { markDelivered, pendingDeliveries, type PendingDelivery } from './sitl-deliveries.js';

export interface DeliveryRelayOptions {
  db: Kysely<CatalogSchema>;
  mission: string;
  ingest: IngestService;
  /** The POC's outgoing drop folder. */
  pocDir: string;
  /** Scratch folder for files being published. */
  workDir: string;
  logger: Logger;
}

const BATCH = 50;

/**
 * Delivers what sitl_deliveries owes, after the commit that recorded it and again at every
 * start: POC files are written atomically (temporary name, fsync, rename) and never
 * overwritten — a file already there with the same bytes counts as delivered (a crash between
 * the rename and the mark), with other bytes it is refused and logged; published files go
 * through ingest (a duplicate is a no-op). A row is marked delivered only after its file exists.
 */
export class DeliveryRelay {
  private running: Promise<void> | undefined;
  private again = false;

  constructor(private readonly options: DeliveryRelayOptions) {}

  /** Delivers everything pending; concurrent calls coalesce into one more pass. */
  wake(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.drain().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  /** Resolves when no pass is running (shutdown). */
  async settled(): Promise<void> {
    await this.running;
  }

  private async drain(): Promise<void> {
    do {
      this.again = false;
      for (;;) {
        const batch = await pendingDeliveries(this.options.db, this.options.mission, BATCH);
        let delivered = 0;
        for (const d of batch) if (await this.deliverOne(d)) delivered += 1;
        if (batch.length < BATCH || delivered === 0) break;
      }
    } while (this.again);
  }

  private async deliverOne(d: PendingDelivery): Promise<boolean> {
    try {
      const done = d.target === 'poc' ? await this.writePocFile(d) : await this.publish(d);
      if (done) await markDelivered(this.options.db, d.id);
      return done;
    } catch (error) {
      this.options.logger.error('delivery failed; retried at the next wake', { deliveryId: d.id, fileName: d.name, error: (error as Error).message });
      return false;
    }
  }

  private async writePocFile(d: PendingDelivery): Promise<boolean> {
    const target = path.join(this.options.pocDir, d.name);
    const existing = await readFile(target).catch((e: NodeJS.ErrnoException) => (e.code === 'ENOENT' ? undefined : Promise.reject(e)));
    if (existing !== undefined) {
      if (existing.equals(d.content)) return true;
      this.options.logger.error('a different file of this name is already in the POC folder; not overwritten', { deliveryId: d.id, fileName: d.name });
      return false;
    }
    await mkdir(this.options.pocDir, { recursive: true });
    const temp = path.join(this.options.pocDir, `.${d.name}.${randomUUID()}.tmp`);
    try {
      const handle = await open(temp, 'wx');
      try {
        await handle.writeFile(d.content);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temp, target);
    } finally {
      await rm(temp, { force: true });
    }
    this.options.logger.info('POC file written', { deliveryId: d.id, fileName: d.name });
    return true;
  }

  private async publish(d: PendingDelivery): Promise<boolean> {
    await mkdir(this.options.workDir, { recursive: true });
    const temp = path.join(this.options.workDir, `${randomUUID()}.publish`);
    try {
      await writeNew(temp, d.content);
      const outcome = await this.options.ingest.ingest({ path: temp, name: d.name, source: 'upload', keepSource: true });
      if (outcome.status === 'quarantined') {
        this.options.logger.error('a published SITL file was refused by ingest', { deliveryId: d.id, fileName: d.name, reason: outcome.reason });
        return false;
      }
      return true;
    } finally {
      await rm(temp, { force: true });
    }
  }
}

async function writeNew(file: string, content: Buffer): Promise<void> {
  const handle = await open(file, 'wx');
  try {
    await handle.writeFile(content);
  } finally {
    await handle.close();
  }
}
