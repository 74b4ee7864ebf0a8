import type { Server } from 'node:http';
import path from 'node:path';
import { createApp } from '../api/create-app.js';
import { scheduleReleases } from '../api/release/release-scheduler.js';
import { ReleaseService } from '../api/release/release-service.js';
import { Archive, type ArchiveOptions } from '../archive/archive.js';
import { createEventBus } from '../bus/create-event-bus.js';
import type { EventBus } from '../bus/event-bus.js';
import { migrateCatalog } from '../catalog/migrate.js';
import { openCatalog, type Catalog } from '../catalog/open-catalog.js';
import type { SdcConfig } from '../config/config-schema.js';
import { dataPath } from '../config/load-config.js';
import { resolveMissionFolder } from '../config/resolve-mission-folder.js';
import { OutboxRelay } from '../events/outbox-relay.js';
import { DropFolderWatcher, type DropFolderOptions } from '../ingest/drop-folder-watcher.js';
import { inspectCdf } from '../ingest/cdf-inspector.js';
import { IngestService } from '../ingest/ingest-service.js';
import { Quarantine } from '../ingest/quarantine.js';
import { JobRunner } from '../jobs/job-runner.js';
import { JobWorker } from '../jobs/job-worker.js';
import { TriggerConsumer } from '../jobs/trigger-consumer.js';
import { TriggerService } from '../jobs/trigger-service.js';
import { createRootLogger, scopedLogger, type Logger } from '../logging/logger.js';
import { loadMission, type Mission } from '../mission/load-mission.js';
import { ProcessRuntime } from '../processors/process-runtime.js';
import { ProcessorRegistry } from '../processors/processor-registry.js';
import { createFileStore } from '../store/create-file-store.js';
import type { FileStore } from '../store/file-store.js';

/** A running SDC: its parts, and the components that can be started in one process. */
export interface Sdc {
  config: SdcConfig;
  mission: Mission;
  catalog: Catalog;
  bus: EventBus;
  store: FileStore;
  logger: Logger;
  ingest: IngestService;
  relay: OutboxRelay;
  processors: ProcessorRegistry;
  /** Marks the jobs arrivals touch and queues them when due. */
  trigger: TriggerService;
  /** Watches the drop folder. */
  startDropFolder(options?: Partial<DropFolderOptions>): Promise<DropFolderWatcher>;
  /** Consumes arrivals into jobs, and runs jobs of the given tiers (both by default: staging runs beside production). */
  startProcessing(tiers?: ('production' | 'staging')[]): Promise<void>;
  /** Serves the HTTP API; resolves with its base URL. */
  startApi(): Promise<string>;
  /** Opens the archive (backup targets, backup, restore, audit, schedules); closed with the SDC. */
  openArchive(options?: Pick<ArchiveOptions, 'restorers' | 'staleRunMs'>): Promise<Archive>;
  /** Drains what runs (no new work, running work finishes), then closes connections. */
  stop(): Promise<void>;
}

export interface OpenSdcOptions {
  logger?: Logger;
}

/**
 * The composition root: opens the catalog (and migrates it), the bus and the store chosen by
 * the configuration, loads the mission, and wires the services. Nothing starts consuming until
 * a `start*` method is called.
 */
export async function openSdc(config: SdcConfig, options: OpenSdcOptions = {}): Promise<Sdc> {
  const logger = options.logger ?? createRootLogger({ level: config.log.level });
  const mission = await loadMission(resolveMissionFolder(config));
  const catalog = await openCatalog(config.catalog.kind === 'pglite' ? { kind: 'pglite', dataDir: config.catalog.dataDir ?? dataPath(config, undefined, 'catalog') } : config.catalog);
  const stopping: (() => Promise<void>)[] = [];
  try {
    await migrateCatalog(catalog.db);
    const bus = await createEventBus(config.bus, scopedLogger(logger, 'bus'));
    stopping.push(() => bus.close());
    const store = await createFileStore(config.store.kind === 'folder' ? { kind: 'folder', root: config.store.root ?? dataPath(config, undefined, 'store') } : config.store);
    stopping.push(() => store.close());
    // The relay starts with the first component, so that a caller can bind its own queues first.
    const relay = new OutboxRelay(catalog.db, bus, scopedLogger(logger, 'outbox'));
    stopping.unshift(() => relay.stop());
    const quarantine = new Quarantine(dataPath(config, config.ingest.quarantineDir, 'quarantine'), catalog.db, mission.config.id);
    const ingest = new IngestService({ db: catalog.db, store, mission, quarantine, inspect: inspectCdf, logger: scopedLogger(logger, 'ingest'), onCommitted: () => relay.wake() });
    const processors = new ProcessorRegistry(catalog.db, mission.config.id, mission.folder);
    await processors.seedFromMission();
    const trigger = new TriggerService({ db: catalog.db, mission, processors, logger: scopedLogger(logger, 'trigger'), debounceMs: config.processing.debounceMs });
    const sdc: Sdc = {
      config, mission, catalog, bus, store, logger, ingest, relay, processors, trigger,
      async startDropFolder(overrides = {}) {
        relay.start();
        const watcher = new DropFolderWatcher(ingest, { folder: dataPath(config, config.ingest.dropDir, 'drop'), concurrency: config.ingest.concurrency, batchSize: config.ingest.batchSize, stableMs: config.ingest.stableMs, ...overrides }, scopedLogger(logger, 'drop-folder'));
        await watcher.start();
        stopping.unshift(() => watcher.stop());
        return watcher;
      },
      async startProcessing(tiers = ['production', 'staging']) {
        relay.start();
        const consumer = new TriggerConsumer(catalog.db, bus, trigger, mission.config.id, scopedLogger(logger, 'trigger'), { onQueued: () => relay.wake() });
        await consumer.start();
        stopping.unshift(() => consumer.stop());
        const runner = new JobRunner({
          db: catalog.db, store, mission, processors, ingest, runtime: new ProcessRuntime(),
          logger: scopedLogger(logger, 'jobs'), workDir: dataPath(config, config.processing.workDir, 'work'),
          timeoutMs: config.processing.timeoutMs, onCommitted: () => relay.wake(),
        });
        for (const tier of tiers) {
          const worker = new JobWorker(catalog.db, bus, runner, { mission: mission.config.id, tier, concurrency: config.processing.concurrency, retryDelaysMs: config.processing.retryDelaysMs }, scopedLogger(logger, 'worker', { tier }));
          await worker.start();
          stopping.unshift(() => worker.stop());
        }
      },
      async startApi() {
        relay.start();
        const app = createApp({ db: catalog.db, bus, store, mission, ingest, uploadDir: dataPath(config, undefined, 'uploads'), logger: scopedLogger(logger, 'api'), auth: config.auth });
        const releases = scheduleReleases(new ReleaseService(catalog.db, mission.config.id, mission.config.release.rules), mission.config.release.schedule, scopedLogger(logger, 'release'));
        stopping.unshift(async () => void (await releases.destroy()));
        const server = await listen(app.listen.bind(app), config.api.port, config.api.host);
        stopping.unshift(() => closeServer(server));
        const address = server.address();
        const port = typeof address === 'object' && address ? address.port : config.api.port;
        return `http://${config.api.host}:${port}`;
      },
      async openArchive(archiveOptions = {}) {
        const archive = await Archive.open({ db: catalog.db, store, config: config.archive, dataDir: path.resolve(config.dataDir), logger: scopedLogger(logger, 'archive'), ...archiveOptions });
        stopping.unshift(() => archive.close());
        return archive;
      },
      async stop() {
        for (const step of stopping.splice(0)) await step();
        await catalog.close();
      },
    };
    return sdc;
  } catch (error) {
    for (const step of stopping) await step().catch(() => {});
    await catalog.close();
    throw error;
  }
}

function listen(start: (port: number, host: string, callback: () => void) => Server, port: number, host: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = start(port, host, () => resolve(server));
    server.once('error', reject);
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });
}

