import type { Server } from 'node:http';
import path from 'node:path';
import { createApp } from '../api/create-app.js';
import { scheduleReleases } from '../api/release/release-scheduler.js';
import { ReleaseService } from '../api/release/release-service.js';
import { Archive, type ArchiveOptions } from '../archive/archive.js';
import { createEventBus } from '../bus/create-event-bus.js';
import type { EventBus } from '../bus/event-bus.js';
import type { JobRow } from '../catalog/catalog-schema.js';
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
import { declareJobQueues, JobWorker } from '../jobs/job-worker.js';
import { TriggerConsumer, triggerQueue } from '../jobs/trigger-consumer.js';
import { TriggerService } from '../jobs/trigger-service.js';
import { CampaignService } from '../jobs/campaign-service.js';
import { startProcessingSchedules } from '../jobs/processing-schedules.js';
import { createRootLogger, scopedLogger, type Logger } from '../logging/logger.js';
import { loadMission, type Mission } from '../mission/load-mission.js';
import { createJobFailureNotifier, createTransports } from '../notifications/create-notifier.js';
import { OperationsMonitor } from '../operations/operations-monitor.js';
import { createProcessorRuntime } from '../processors/create-runtime.js';
import { ProcessorRegistry } from '../processors/processor-registry.js';
import { TraceSigner } from '../provenance/trace-signer.js';
import { openTraceSigningKey } from '../provenance/trace-signing-key.js';
import { sitlFeedQueue } from '../sitl/sitl-feed-consumer.js';
import { SitlService } from '../sitl/sitl-service.js';
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
  /** Reprocessing campaigns (created by the command line, pumped by the processing schedules). */
  campaigns: CampaignService;
  /** Signs the lifecycle traces the catalog queues (runs from open to stop). */
  traceSigner: TraceSigner;
  /** Where the trace-signing key lives (`sdc keys rotate` replaces it). */
  traceKeyFile: string;
  /** The SITL service (burst selection), for a mission with a `sitl:` section. */
  sitl: SitlService | undefined;
  /** Consumes the SITL feeds and relays owed SITL files (no-op for a mission without SITL). */
  startSitl(): Promise<void>;
  /** Watches the drop folder. */
  startDropFolder(options?: Partial<DropFolderOptions>): Promise<DropFolderWatcher>;
  /**
   * Runs jobs of the given tiers (both by default: staging runs beside production) and, unless
   * `triggers` is false, consumes arrivals into jobs and runs the processing schedules
   * (`processing.schedules`: re-check of waiting inputs, campaign pump). `instruments` picks the
   * job queues consumed (every instrument of the mission by default); all are declared.
   */
  startProcessing(tiers?: ('production' | 'staging')[], options?: { triggers?: boolean; instruments?: string[] }): Promise<void>;
  /** Serves the HTTP API; resolves with its base URL. */
  startApi(): Promise<string>;
  /**
   * Starts the cron jobs, which exactly one process of a site runs: the release policy, the
   * archive schedules (backup, audit, retention), the processing schedules (unless this process
   * already runs them with its trigger consumer) and the operations monitor.
   */
  startScheduler(): Promise<void>;
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
    const ingest = new IngestService({ db: catalog.db, store, mission, quarantine, inspect: inspectCdf, logger: scopedLogger(logger, 'ingest'), events: relay });
    const processors = new ProcessorRegistry(catalog.db, mission.config.id, mission.folder, mission.config.instruments.map((i) => i.id));
    await processors.seedFromMission();
    const trigger = new TriggerService({ db: catalog.db, mission, processors, logger: scopedLogger(logger, 'trigger'), debounceMs: config.processing.debounceMs, events: relay });
    const campaigns = new CampaignService({ db: catalog.db, mission, processors, logger: scopedLogger(logger, 'campaigns') });
    const traceKeyFile = dataPath(config, config.provenance.keyFile, path.join('keys', 'trace-signing-key.json'));
    const traceSigner = new TraceSigner(catalog.db, await openTraceSigningKey(traceKeyFile, catalog.db), scopedLogger(logger, 'traces'), { intervalMs: config.provenance.signIntervalMs });
    traceSigner.start();
    // The on-duty SITL's notifications (ABS ready) go through the configured transports.
    const sitlTransports = createTransports(config.notifications);
    stopping.push(async () => void (await Promise.all(sitlTransports.map((t) => t.close()))));
    const sitl = await SitlService.open({ db: catalog.db, bus, store, mission, ingest, pocDir: dataPath(config, config.sitl.pocOutDir, 'poc-outgoing'), workDir: dataPath(config, undefined, 'sitl-work'), logger: scopedLogger(logger, 'sitl'), transports: sitlTransports });
    // After the components (which may still commit events) and before the catalog closes.
    stopping.push(() => traceSigner.stop());
    // Processing schedules run once per process: with the trigger consumer, or in the scheduler.
    let schedulesStarted = false;
    const startSchedulesOnce = () => {
      if (schedulesStarted) return;
      schedulesStarted = true;
      const schedules = startProcessingSchedules({ trigger, campaigns, schedules: config.processing.schedules, logger: scopedLogger(logger, 'schedules'), onQueued: () => relay.wake() });
      stopping.unshift(() => schedules.stop());
    };
    // The relay publishes only once the queues of the SDC's own consumers exist: an event sent to
    // the exchange before its queue is bound is dropped (e.g. an upload to a first-started API
    // process while no worker has ever run). Declaring is idempotent.
    let relayStarted: Promise<void> | undefined;
    const startRelay = () => (relayStarted ??= (async () => {
      await bus.declareQueue(triggerQueue(mission.config.id));
      await declareJobQueues(bus, mission.config.id, mission.config.instruments.map((i) => i.id), config.processing.retryDelaysMs);
      if (sitl) await bus.declareQueue(sitlFeedQueue(mission.config.id, sitl.config));
      relay.start();
    })());
    const sdc: Sdc = {
      config, mission, catalog, bus, store, logger, ingest, relay, processors, trigger, campaigns, traceSigner, traceKeyFile, sitl,
      async startSitl() {
        if (!sitl) return;
        await startRelay();
        await sitl.start();
        stopping.unshift(() => sitl.stop());
      },
      async startDropFolder(overrides = {}) {
        await startRelay();
        const watcher = new DropFolderWatcher(ingest, { folder: dataPath(config, config.ingest.dropDir, 'drop'), concurrency: config.ingest.concurrency, batchSize: config.ingest.batchSize, stableMs: config.ingest.stableMs, ...overrides }, scopedLogger(logger, 'drop-folder'));
        await watcher.start();
        stopping.unshift(() => watcher.stop());
        return watcher;
      },
      async startProcessing(tiers = ['production', 'staging'], processingOptions = {}) {
        const instruments = mission.config.instruments.map((i) => i.id);
        await startRelay();
        if (processingOptions.triggers !== false) {
          const consumer = new TriggerConsumer(catalog.db, bus, trigger, mission.config.id, scopedLogger(logger, 'trigger'), { events: relay });
          await consumer.start();
          stopping.unshift(() => consumer.stop());
          startSchedulesOnce();
        }
        const workDir = dataPath(config, config.processing.workDir, 'work');
        const runner = new JobRunner({
          db: catalog.db, store, mission, processors, ingest, runtime: createProcessorRuntime(config.processing, { workDir }),
          logger: scopedLogger(logger, 'jobs'), workDir,
          timeoutMs: config.processing.timeoutMs, events: relay,
        });
        stopping.unshift(() => runner.close());
        const notifier = createJobFailureNotifier(config.notifications, scopedLogger(logger, 'notifications'));
        if (notifier) stopping.push(() => notifier.close());
        const onJobDead = notifier && (async (job: JobRow, reason: string) => notifier.notifyJobFailure(job, reason, await contactsOf(job)));
        const contactsOf = async (job: JobRow) => {
          const deployment = job.deployment_id === null ? undefined : await processors.byId(job.deployment_id);
          const team = mission.config.instruments.find((i) => i.id === deployment?.bundle.manifest.instrument)?.contacts ?? [];
          return [...team, ...config.notifications.operators];
        };
        for (const tier of tiers) {
          const worker = new JobWorker(catalog.db, bus, runner, { mission: mission.config.id, tier, instruments, consume: processingOptions.instruments ?? instruments, concurrency: config.processing.concurrency, retryDelaysMs: config.processing.retryDelaysMs, onJobDead }, scopedLogger(logger, 'worker', { tier }));
          await worker.start();
          stopping.unshift(() => worker.stop());
        }
      },
      async startApi() {
        await startRelay();
        const app = createApp({ db: catalog.db, bus, store, mission, ingest, uploadDir: dataPath(config, undefined, 'uploads'), maxUploadBytes: config.api.maxUploadBytes, logger: scopedLogger(logger, 'api'), auth: config.auth, sitl, backupTargets: config.archive.targets.map((t) => t.name) });
        const server = await listen(app.listen.bind(app), config.api.port, config.api.host);
        stopping.unshift(() => closeServer(server));
        const address = server.address();
        const port = typeof address === 'object' && address ? address.port : config.api.port;
        return `http://${config.api.host}:${port}`;
      },
      async startScheduler() {
        await startRelay();
        const releases = scheduleReleases(new ReleaseService(catalog.db, mission.config.id, mission.config.release.rules), mission.config.release.schedule, scopedLogger(logger, 'release'));
        stopping.unshift(async () => void (await releases.destroy()));
        startSchedulesOnce();
        const archive = await sdc.openArchive();
        archive.startSchedule();
        const transports = createTransports(config.notifications);
        stopping.push(async () => void (await Promise.all(transports.map((t) => t.close()))));
        const folders = [config.dataDir, dataPath(config, config.processing.workDir, 'work'), ...(config.store.kind === 'folder' ? [config.store.root ?? dataPath(config, undefined, 'store')] : [])];
        const monitor = new OperationsMonitor({
          db: catalog.db, bus, mission: mission.config.id, instruments: mission.config.instruments.map((i) => i.id), config: config.operations, backupTargets: archive.targets.map((t) => t.name),
          folders, transports, operators: config.notifications.operators, logger: scopedLogger(logger, 'operations'),
        });
        monitor.start();
        stopping.unshift(() => monitor.stop());
      },
      async openArchive(archiveOptions = {}) {
        const archive = await Archive.open({ db: catalog.db, store, config: config.archive, dataDir: path.resolve(config.dataDir), logger: scopedLogger(logger, 'archive'), mission: { mission: mission.config.id, folder: mission.folder }, ...archiveOptions });
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

