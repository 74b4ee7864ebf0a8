import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { openSdc, type Sdc } from '../../src/app/open-sdc.js';
import type { SdcConfigInput } from '../../src/config/config-schema.js';
import { loadConfig } from '../../src/config/load-config.js';
import { createRootLogger } from '../../src/logging/logger.js';
import type { Backend } from './backends.js';

/** An SDC on a backend, in a temporary data folder, for one test suite. */
export interface TestSdc {
  sdc: Sdc;
  dataDir: string;
  /** Options for opening a second SDC on the same catalog, bus and data folder (restarts). */
  config: Partial<SdcConfigInput>;
  close(): Promise<void>;
}

export async function startTestSdc(backend: Backend, extra: Partial<SdcConfigInput> = {}): Promise<TestSdc> {
  const resources = await backend.provision();
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'sdc-test-'));
  const config: Partial<SdcConfigInput> = {
    dataDir,
    api: { port: 0 },
    ingest: { stableMs: 0 },
    processing: { retryDelaysMs: [200], concurrency: 2, debounceMs: 100 },
    ...resources.config,
    ...extra,
  };
  const sdc = await openSdc(await loadConfig({ env: {}, overrides: config }), { logger: quietLogger() });
  return {
    sdc,
    dataDir,
    config,
    close: async () => {
      await sdc.stop();
      await resources.release();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Logs only errors, so test output stays readable; set SDC_TEST_LOG=info to see everything. */
export function quietLogger() {
  return createRootLogger({ level: process.env.SDC_TEST_LOG ?? 'error' });
}
