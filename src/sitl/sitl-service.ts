import type { Kysely } from 'kysely';
import type { EventBus } from '../bus/event-bus.js';
import type { CatalogSchema } from '../catalog/catalog-schema.js';
import type { IngestService } from '../ingest/ingest-service.js';
import type { Logger } from '../logging/logger.js';
import type { Mission } from '../mission/load-mission.js';
import type { FileStore } from '../store/file-store.js';
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
}

/**
 * The SITL service of a mission with a `sitl:` section: its adapter, the submission service, the
 * relay of owed files, and the feed consumer (started on demand).
 */
export class SitlService {
  readonly submissions: SubmissionService;
  readonly relay: DeliveryRelay;
  private feeds: SitlFeedConsumer | undefined;

  private constructor(
    private readonly options: SitlServiceOptions,
    readonly config: SitlConfig,
    readonly adapter: SitlAdapter,
  ) {
    const mission = options.mission.config.id;
    this.relay = new DeliveryRelay({ db: options.db, mission, ingest: options.ingest, pocDir: options.pocDir, workDir: options.workDir, logger: options.logger });
    this.submissions = new SubmissionService({ db: options.db, mission, config, adapter, onDeliveriesQueued: () => void this.relay.wake() });
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
    this.feeds = new SitlFeedConsumer({ ...this.options, mission: this.missionId, config: this.config, adapter: this.adapter, onDeliveriesQueued: () => void this.relay.wake() });
    await this.feeds.start();
    await this.relay.wake();
  }

  async stop(): Promise<void> {
    await this.feeds?.stop();
    this.feeds = undefined;
    await this.relay.settled();
  }
}
