import type { Kysely } from 'kysely';
import type { EventBus } from '../bus/event-bus.js';
import type { CatalogSchema } from '../catalog/catalog-schema.js';
import type { SdcConfig } from '../config/config-schema.js';
import type { IngestService } from '../ingest/ingest-service.js';
import type { Logger } from '../logging/logger.js';
import type { Mission } from '../mission/load-mission.js';
import type { SitlService } from '../sitl/sitl-service.js';
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
  /** Largest upload accepted, in bytes (413 above); DEFAULT_MAX_UPLOAD_BYTES when absent. */
  maxUploadBytes?: number;
  /** Names of the archive's backup targets, whose lag /metrics reports; none when absent. */
  backupTargets?: string[];
  /** The SITL service, for a mission with a `sitl:` section. */
  sitl?: SitlService;
  /** Team authentication settings (OIDC provider, failed-login limits); defaults when absent. */
  auth?: SdcConfig['auth'];
}
