import type { Kysely } from 'kysely';
import type { EventBus } from '../bus/event-bus.js';
import type { CatalogSchema } from '../catalog/catalog-schema.js';
import type { SdcConfig } from '../config/config-schema.js';
import type { IngestService } from '../ingest/ingest-service.js';
import type { Logger } from '../logging/logger.js';
import type { Mission } from '../mission/load-mission.js';
import type { FileStore } from '../store/file-store.js';

/** What the HTTP API uses; built by the composition root. */
export interface ApiContext {
  db: Kysely<CatalogSchema>;
  bus: EventBus;
  store: FileStore;
  mission: Mission;
  ingest: IngestService;
  /** Folder for uploads in transit (same file system as nothing in particular; cleaned after each). */
  uploadDir: string;
  logger: Logger;
  /** Team authentication settings (OIDC provider, failed-login limits); defaults when absent. */
  auth?: SdcConfig['auth'];
}
