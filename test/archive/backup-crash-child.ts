/**
 * Child process of the backup crash tests: opens the SDC with the configuration given as JSON
 * and backs up to a target (default the folder target `local`), printing a line per file, so
 * that the parent can kill it (SIGKILL) part-way.
 * Usage: node --import tsx backup-crash-child.ts '<config JSON>' [target]
 */
import { openSdc } from '../../src/app/open-sdc.js';
import { loadConfig } from '../../src/config/load-config.js';
import { createRootLogger } from '../../src/logging/logger.js';

const sdc = await openSdc(await loadConfig({ env: {}, overrides: JSON.parse(process.argv[2]!) }), { logger: createRootLogger({ level: 'error' }) });
const archive = await sdc.openArchive();
await archive.backup(process.argv[3] ?? 'local', (_target, progress) => console.log(`copied ${progress.done}`));
await sdc.stop();
