import { inject } from 'vitest';
import type { SdcConfigInput } from '../../src/config/config-schema.js';
import { createTestDatabase } from './postgres-database.js';
import { createTestVhost } from './rabbitmq-vhost.js';

/**
 * The two ways the SDC runs, for suites that must pass on both: the embedded default (PGlite,
 * in-process bus) and the production adapters (a fresh PostgreSQL database and a fresh RabbitMQ
 * vhost per suite). `available` is false when this machine lacks the services (outside CI only:
 * under CI=true the global setup fails instead).
 */
export interface Backend {
  name: string;
  available: boolean;
  /** Provisions fresh resources; returns the config part and a cleanup. */
  provision(): Promise<{ config: Partial<SdcConfigInput>; release(): Promise<void> }>;
}

export function backends(): Backend[] {
  const services = inject('services');
  return [
    {
      name: 'embedded (PGlite + in-process bus)',
      available: true,
      provision: async () => ({ config: { catalog: { kind: 'pglite', dataDir: 'memory://' }, bus: { kind: 'memory' } }, release: async () => {} }),
    },
    {
      name: 'PostgreSQL + RabbitMQ',
      available: Boolean(services.postgresUrl && services.amqpUrl),
      provision: async () => {
        const database = await createTestDatabase(services.postgresUrl!);
        const vhost = await createTestVhost(services.amqpUrl!, 'sdc');
        return {
          config: { catalog: { kind: 'postgres', url: database.url, poolSize: 10 }, bus: { kind: 'amqp', url: vhost.url, exchange: 'sdc.events' } },
          release: async () => {
            await vhost.dispose();
            await database.drop();
          },
        };
      },
    },
  ];
}
