/**
 * Child process of the crash test: ingests one file with the real catalog, store and ingest
 * service, and kills itself with SIGKILL the instant the catalog transaction has committed,
 * when its events are handed over to be published and before anything could be. Argument: the
 * JSON of the SDC configuration, the file and the grace the relay gives the owner's events.
 */
import { loadConfig } from '../../src/config/load-config.js';
import { openCatalog } from '../../src/catalog/open-catalog.js';
import { migrateCatalog } from '../../src/catalog/migrate.js';
import { createFileStore } from '../../src/store/create-file-store.js';
import { IngestService } from '../../src/ingest/ingest-service.js';
import { Quarantine } from '../../src/ingest/quarantine.js';
import { loadMission } from '../../src/mission/load-mission.js';
import { resolveMissionFolder } from '../../src/config/resolve-mission-folder.js';
import { createRootLogger } from '../../src/logging/logger.js';
import path from 'node:path';

const { overrides, file, ownerGraceMs } = JSON.parse(process.argv[2] ?? '{}') as { overrides: Record<string, unknown>; file: string; ownerGraceMs: number };
const config = await loadConfig({ env: {}, overrides });
if (config.catalog.kind !== 'postgres' && !config.catalog.dataDir) throw new Error('the crash test needs a catalog that outlives the process');
if (config.store.kind !== 'folder' || !config.store.root) throw new Error('the crash test needs an explicit folder store');
const catalog = await openCatalog(config.catalog);
await migrateCatalog(catalog.db);
const store = await createFileStore({ kind: 'folder', root: config.store.root });
const logger = createRootLogger({ silent: true });
const mission = await loadMission(resolveMissionFolder(config));
const ingest = new IngestService({
  db: catalog.db,
  store,
  mission,
  logger,
  quarantine: new Quarantine(path.join(config.dataDir, 'quarantine'), catalog.db, mission.config.id),
  events: { accepting: true, ownerGraceMs, publishCommitted: () => process.kill(process.pid, 'SIGKILL') },
});
await ingest.ingest({ path: file, name: path.basename(file), source: 'drop', keepSource: true });
throw new Error('the process should have been killed after the commit');
