/**
 * Child process of the worker-crash test: an SDC that consumes arrivals and runs production
 * jobs, sharing the parent's catalog, bus and data folder; prints `ready` once consuming. The
 * test kills it with SIGKILL mid-job. Argument: the JSON of the configuration overrides.
 */
import { openSdc } from '../../src/app/open-sdc.js';
import { loadConfig } from '../../src/config/load-config.js';
import { createRootLogger } from '../../src/logging/logger.js';

const overrides = JSON.parse(process.argv[2] ?? '{}') as Record<string, unknown>;
const sdc = await openSdc(await loadConfig({ env: {}, overrides }), { logger: createRootLogger({ level: process.env.SDC_TEST_LOG ?? 'error' }) });
await sdc.startProcessing(['production']);
process.stdout.write('ready\n');
