/**
 * Finds which real services this machine offers to the integration suites.
 * Outside CI a missing service skips its suites with a note; with CI=true it fails the run.
 */
import net from 'node:net';
import type { TestProject } from 'vitest/node';
import { freshCatalogSnapshot } from '../src/catalog/fresh-catalog-snapshot.js';

export interface TestServices {
  postgresUrl?: string;
  amqpUrl?: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    services: TestServices;
  }
}

const POSTGRES_URL = process.env.SDC_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const AMQP_URL = process.env.SDC_TEST_AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';

export default async function setup(project: TestProject): Promise<void> {
  const services: TestServices = {};
  const missing: string[] = [];
  if (await reachable(POSTGRES_URL, 5432)) services.postgresUrl = POSTGRES_URL;
  else missing.push(`PostgreSQL at ${POSTGRES_URL}`);
  if (await reachable(AMQP_URL, 5672)) services.amqpUrl = AMQP_URL;
  else missing.push(`RabbitMQ at ${AMQP_URL}`);

  if (missing.length > 0) {
    const message = `unreachable: ${missing.join(', ')}`;
    if (process.env.CI === 'true') throw new Error(`${message}; CI runs every integration suite against real services`);
    console.warn(`[test setup] ${message}; their integration suites are skipped`);
  }
  project.provide('services', services);
  // Built once here rather than by the first suites of every worker at the same moment.
  await freshCatalogSnapshot();
}

function reachable(url: string, defaultPort: number): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect({ host: hostname, port: Number(port || defaultPort) });
    socket.setTimeout(2000);
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('timeout', () => { socket.destroy(); resolve(false); });
    socket.once('error', () => resolve(false));
  });
}
