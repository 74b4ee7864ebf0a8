/**
 * A RabbitMQ virtual host of its own for one test file, so files running in parallel never see
 * each other's queues or connections. Managed with `rabbitmqctl` (on this machine, as root).
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A queue as `rabbitmqctl list_queues` reports it, with its arguments as a plain object. */
export interface BrokerQueue {
  name: string;
  durable: boolean;
  messages: number;
  arguments: Record<string, unknown>;
}

export interface BrokerBinding {
  source_name: string;
  destination_name: string;
  routing_key: string;
}

export interface BrokerExchange {
  name: string;
  type: string;
  durable: boolean;
}

export interface TestVhost {
  name: string;
  /** The broker URL with this vhost as its path. */
  url: string;
  /** Closes every client connection to this vhost (and no other), as a broker restart would. */
  closeConnections(reason: string): Promise<void>;
  /** The queues of this vhost, as the broker sees them. */
  queues(): Promise<BrokerQueue[]>;
  bindings(): Promise<BrokerBinding[]>;
  exchanges(): Promise<BrokerExchange[]>;
  /** Deletes the vhost: its connections close and reconnections fail until `restore()`. */
  remove(): Promise<void>;
  /** Creates the vhost again, empty, with the same permissions. */
  restore(): Promise<void>;
  /** Deletes the vhost and everything in it (idempotent). */
  dispose(): Promise<void>;
}

/** Creates `sdc-test-<label>-<random>` and gives the URL's user full permissions on it. */
export async function createTestVhost(baseUrl: string, label: string): Promise<TestVhost> {
  const name = `sdc-test-${label}-${randomBytes(4).toString('hex')}`;
  const base = new URL(baseUrl);
  const user = decodeURIComponent(base.username || 'guest');
  const url = new URL(baseUrl);
  url.pathname = `/${encodeURIComponent(name)}`;
  let exists = false;

  const add = async (): Promise<void> => {
    await rabbitmqctl('add_vhost', name);
    exists = true;
    await rabbitmqctl('set_permissions', '-p', name, user, '.*', '.*', '.*');
  };
  const remove = async (): Promise<void> => {
    if (!exists) return;
    exists = false;
    await rabbitmqctl('delete_vhost', name);
  };
  await add();
  return {
    name,
    url: url.toString(),
    closeConnections: async (reason) => {
      await rabbitmqctl('close_all_connections', '--vhost', name, reason);
    },
    queues: async () => {
      const rows = await listJson<Omit<BrokerQueue, 'arguments'> & { arguments: [string, string, unknown][] }>('list_queues', '-p', name, 'name', 'durable', 'messages', 'arguments');
      return rows.map((row) => ({ ...row, arguments: Object.fromEntries(row.arguments.map(([key, , value]) => [key, value])) }));
    },
    bindings: () => listJson<BrokerBinding>('list_bindings', '-p', name),
    exchanges: () => listJson<BrokerExchange>('list_exchanges', '-p', name, 'name', 'type', 'durable'),
    remove,
    restore: add,
    dispose: remove,
  };
}

async function listJson<T>(...args: string[]): Promise<T[]> {
  return JSON.parse(await rabbitmqctl(...args, '--formatter', 'json')) as T[];
}

async function rabbitmqctl(...args: string[]): Promise<string> {
  try {
    const { stdout } = await run('rabbitmqctl', ['--quiet', ...args], { timeout: 60_000 });
    return stdout;
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? '';
    throw new Error(`rabbitmqctl ${args.join(' ')} failed: ${stderr.trim() || (error as Error).message}`, { cause: error });
  }
}
