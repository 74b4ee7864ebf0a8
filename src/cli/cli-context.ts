import type { Command } from 'commander';
import { openSdc, type Sdc } from '../app/open-sdc.js';
import { loadConfig } from '../config/load-config.js';
import type { SdcConfig } from '../config/config-schema.js';
import { createRootLogger } from '../logging/logger.js';

/** Loads the configuration a command runs with: `--config`, then the environment, then `overrides`. */
export async function commandConfig(command: Command, overrides: Record<string, unknown> = {}): Promise<SdcConfig> {
  const { config } = command.optsWithGlobals<{ config?: string }>();
  return loadConfig({ ...(config ? { file: config } : {}), overrides });
}

/**
 * Opens the SDC for one command and always closes it. Logs go to stderr as JSON lines at the
 * configured level (`--verbose` for info), so a command's own output on stdout stays readable.
 */
export async function withSdc<T>(command: Command, overrides: Record<string, unknown>, work: (sdc: Sdc) => Promise<T>): Promise<T> {
  const config = await commandConfig(command, overrides);
  const { verbose } = command.optsWithGlobals<{ verbose?: boolean }>();
  const logger = createRootLogger({ level: verbose ? 'info' : 'warn' });
  const sdc = await openSdc(config, { logger });
  try {
    return await work(sdc);
  } finally {
    await sdc.stop();
  }
}

/** Resolves on SIGINT or SIGTERM (the first one wins). */
export function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const handler = (signal: NodeJS.Signals) => {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
      resolve(signal);
    };
    process.on('SIGINT', handler);
    process.on('SIGTERM', handler);
  });
}
