import type { Kysely } from 'kysely';
import type { EventBus } from '../bus/event-bus.js';
import type { CatalogSchema } from '../catalog/catalog-schema.js';
import type { IngestService } from '../ingest/ingest-service.js';
import type { Logger } from '../logging/logger.js';
import type { Mission } from '../mission/load-mission.js';
import type { NotificationTransport } from '../notifications/notification-transport.js';
import type { FileStore } from '../store/file-store.js';
import { AbsReadyNotifier } from './abs-ready-notifier.js';
import { checkSitlConfig } from './check-sitl-config.js';
import { DeliveryRelay } from './delivery-relay.js';
import { loadSitlAdapter, type SitlAdapter } from './sitl-adapter.js';
import type { SitlConfig } from './sitl-config.js';
import { SitlFeedConsumer } from './sitl-feed-consumer.js';
import { SubmissionService } from './submission-service.js';

export interface SitlServiceOptions {
  db: Kysely<CatalogSchema>;
  bus: EventBus;
  store: FileStore;
  mission: Mission;
  ingest: IngestService;
  pocDir: string;
  workDir: string;
  logger: Logger;
  /** How the on-duty SITL is told that a window's automated selections are ready; none: not told. */
  transports?: NotificationTransport[];
}

/**
 * The SITL service of a mission with a `sitl:` section: its adapter, the submission service, the
 * relay of owed files, the on-duty SITL's notification when a window's automated selections are
 * published, and the feed consumer (started on demand).
 */
export class SitlService {
  readonly submissions: SubmissionService;
  readonly relay: DeliveryRelay;
  /** Absent when no notification transport is configured. */
  readonly notifier: AbsReadyNotifier | undefined;
  private feeds: SitlFeedConsumer | undefined;

  private constructor(
    private readonly options: SitlServiceOptions,
    readonly config: SitlConfig,
    readonly adapter: SitlAdapter,
  ) {
    const mission = options.mission.config.id;
    this.relay = new DeliveryRelay({ db: options.db, mission, ingest: options.ingest, pocDir: options.pocDir, workDir: options.workDir, logger: options.logger });
    const transports = options.transports ?? [];
    this.notifier = transports.length > 0 ? new AbsReadyNotifier({ db: options.db, mission, config, transports, logger: options.logger }) : undefined;
    this.submissions = new SubmissionService({ db: options.db, mission, config, adapter, onDeliveriesQueued: () => void this.deliver() });
  }

  /** Delivers what is owed, then tells the on-duty SITL about windows whose selections were just published. */
  async deliver(): Promise<void> {
    await this.relay.wake();
    await this.notifier?.wake();
  }

  /** The service, or undefined for a mission without SITL. */
  static async open(options: SitlServiceOptions): Promise<SitlService | undefined> {
    const config = options.mission.config.sitl;
    if (!config) return undefined;
    checkSitlConfig(options.mission, config);
    return new SitlService(options, config, await loadSitlAdapter(options.mission));
  }

  get missionId(): string {
    return this.options.mission.config.id;
  }

  /** Consumes the feeds and delivers what earlier runs left owed. */
  async start(): Promise<void> {
    if (this.feeds) return;
    this.feeds = new SitlFeedConsumer({ ...this.options, mission: this.missionId, config: this.config, adapter: this.adapter, onDeliveriesQueued: () => void this.deliver() });
    await this.feeds.start();
    await this.deliver();
  }

  async stop(): Promise<void> {
    await this.feeds?.stop();
    this.feeds = undefined;
    await this.relay.settled();
    await this.notifier?.settled();
  }
}
