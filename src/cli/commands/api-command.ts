import type { Command } from 'commander';
import { openSdc } from '../../app/open-sdc.js';
import { createRootLogger } from '../../logging/logger.js';
import { commandConfig } from '../cli-context.js';
import { drainOnSignal } from '../drain-on-signal.js';

/** `sdc api`: the HTTP API alone (any number of them behind a load balancer). */
export function registerApiCommand(program: Command): void {
  program
    .command('api')
    .description('serve the HTTP API (JSON API, legacy file services, uploads, pages, /healthz, /metrics); several may run behind a proxy; SIGTERM drains and exits 0')
    .option('--port <port>', 'HTTP port (default api.port of the configuration; 0 picks a free one)', (v) => Number.parseInt(v, 10))
    .option('--host <address>', 'address to listen on (default api.host)')
    .action(async (options: { port?: number; host?: string }, command: Command) => {
      const api = { ...(options.port === undefined ? {} : { port: options.port }), ...(options.host ? { host: options.host } : {}) };
      const config = await commandConfig(command, Object.keys(api).length > 0 ? { api } : {});
      const sdc = await openSdc(config, { logger: createRootLogger({ level: config.log.level }) });
      console.log(`serving ${await sdc.startApi()} (catalog ${sdc.catalog.description}, bus ${sdc.bus.description}, store ${sdc.store.description})`);
      await drainOnSignal(sdc, config.operations.drainTimeoutMs);
    });
}
