/**
 * The Ansible deployment (ansible/): the playbook passes --syntax-check and ansible-lint; applied
 * in check mode to this machine (PostgreSQL, RabbitMQ and the SDC roles, secrets from an Ansible
 * Vault) it fails nowhere and changes nothing; the SDC service roles really run into a scratch
 * root (variables for every path, so /etc is never touched), render systemd units, the
 * configuration and log rotation, and a second run changes nothing.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { loadConfig } from '../../src/config/load-config.js';

const run = promisify(execFile);
const ANSIBLE_DIR = path.resolve('ansible');
const installed = existsSync('/usr/bin/ansible-playbook') && existsSync('/usr/bin/ansible-lint');

/** Runs a command in ansible/; resolves with its exit code and output (never rejects on a non-zero exit). */
async function ansible(command: string, args: string[]): Promise<{ code: number; out: string }> {
  try {
    const { stdout, stderr } = await run(command, args, { cwd: ANSIBLE_DIR, env: { ...process.env, ANSIBLE_NOCOLOR: '1', ANSIBLE_FORCE_COLOR: '0', NO_COLOR: '1', ANSIBLE_LOCAL_TEMP: path.join(os.tmpdir(), 'ansible-local') }, maxBuffer: 32 * 1024 * 1024 });
    return { code: 0, out: `${stdout}${stderr}` };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, out: `${failed.stdout}${failed.stderr}` };
  }
}

/** The PLAY RECAP figures of this host. */
function recap(out: string): Record<string, number> {
  const line = out.split('\n').find((l) => /^localhost\s+:/.test(l)) ?? '';
  return Object.fromEntries([...line.matchAll(/(\w+)=(\d+)/g)].map((m) => [m[1], Number(m[2])]));
}

// Without Ansible outside CI the suite is skipped; CI installs it (.ci/run), so there it runs.
describe.skipIf(!installed && process.env.CI !== 'true')('the Ansible site playbook', () => {
  let scratch: string;
  let root: string;
  let inventory: string;
  let vaultPassword: string;

  beforeAll(async () => {
    scratch = await mkdtemp(path.join(os.tmpdir(), 'sdc-ansible-'));
    root = path.join(scratch, 'root');
    inventory = path.join(scratch, 'inventory');
    await mkdir(path.join(inventory, 'group_vars', 'all'), { recursive: true });
    const local = { hosts: { localhost: null } };
    await writeFile(path.join(inventory, 'hosts.yml'), stringify({
      all: {
        vars: {
          ansible_connection: 'local', ansible_python_interpreter: '/usr/bin/python3', ansible_become_method: 'su',
          sdc_prefix: root, sdc_store_root: path.join(root, 'srv/sdc/store'),
          sdc_manage_user: false, sdc_user: 'root', sdc_group: 'root', sdc_install_app: false, sdc_manage_services: false, sdc_run_migrations: false,
          sdc_db_password: '{{ vault_sdc_db_password }}', sdc_amqp_password: '{{ vault_sdc_amqp_password }}',
          sdc_worker_instances: 2, sdc_worker_tiers: 'production', sdc_worker_instruments: 'fgm,fpi', sdc_operations: { drainTimeoutMs: 120000 },
          sdc_notifications: { operators: [{ name: 'Ops', email: 'ops@example.org' }] },
          // This machine's services are started by CI, not systemd; its broker node is rabbit@localhost.
          postgresql_manage_service: false, postgresql_login_host: '127.0.0.1', rabbitmq_manage_service: false, rabbitmq_node: 'rabbit@localhost',
        },
        children: { sdc_database: local, sdc_broker: local, sdc_api: local, sdc_workers: local, sdc_scheduler: local },
      },
    }));
    vaultPassword = path.join(scratch, 'vault-password');
    await writeFile(vaultPassword, 'test vault password\n');
    const vault = path.join(inventory, 'group_vars', 'all', 'vault.yml');
    await writeFile(vault, 'vault_sdc_db_password: "db pass/with:odd@chars"\nvault_sdc_amqp_password: mq-secret\n');
    const encrypted = await ansible('ansible-vault', ['encrypt', '--vault-password-file', vaultPassword, vault]);
    expect(encrypted.code, encrypted.out).toBe(0);
  });
  afterAll(async () => {
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  // The four checks are independent and mostly wait on Ansible's per-task processes: run together.
  it.concurrent('passes ansible-playbook --syntax-check with the example inventory', async () => {
    const result = await ansible('ansible-playbook', ['--syntax-check', '-i', 'inventory/example/hosts.yml', 'site.yml']);
    expect(result.code, result.out).toBe(0);
  }, 120_000);

  it.concurrent('passes ansible-lint (production profile)', async () => {
    const result = await ansible('ansible-lint', []);
    expect(result.code, result.out).toBe(0);
    expect(result.out).toContain('Passed with production profile');
  }, 300_000);

  it.concurrent('when applied in check mode to this machine, then every role, the catalog and the bus included, runs without a failure and the vault secrets are read', async () => {
    // Its own root, so that the real run beside it cannot make files appear under this one.
    const checkRoot = path.join(scratch, 'check-root');
    const result = await ansible('ansible-playbook', ['-i', path.join(inventory, 'hosts.yml'), 'site.yml', '--check', '--vault-password-file', vaultPassword, '-e', `sdc_prefix=${checkRoot}`, '-e', `sdc_store_root=${path.join(checkRoot, 'srv/sdc/store')}`]);
    expect(result.code, result.out).toBe(0);
    expect(recap(result.out).failed).toBe(0);
    expect(result.out).toContain('TASK [postgresql : Create the SDC catalog database]');
    expect(result.out).toContain('TASK [rabbitmq : Create the SDC user with rights on its vhost only]');
    expect(existsSync(path.join(checkRoot, 'etc/sdc/sdc.env'))).toBe(false);
  }, 600_000);

  it.concurrent('when the SDC service roles run for real, then units, configuration and log rotation are rendered under the scratch root, and a second run changes nothing', async () => {
    const args = ['-i', path.join(inventory, 'hosts.yml'), 'site.yml', '--tags', 'sdc', '--vault-password-file', vaultPassword];
    const first = await ansible('ansible-playbook', args);
    expect(first.code, first.out).toBe(0);
    expect(recap(first.out).changed).toBeGreaterThan(0);

    const api = await readFile(path.join(root, 'etc/systemd/system/sdc-api.service'), 'utf8');
    expect(api).toContain(`ExecStart=/usr/bin/node ${root}/opt/sdc/bin/sdc.js api\n`);
    expect(api).toContain('Restart=always');
    expect(api).toContain('KillSignal=SIGTERM');
    expect(api).toContain('TimeoutStopSec=150');
    expect(api).toContain(`StandardOutput=append:${root}/var/log/sdc/sdc-api.log`);
    const worker = await readFile(path.join(root, 'etc/systemd/system/sdc-worker@.service'), 'utf8');
    expect(worker).toContain(`bin/sdc.js worker --tiers production --instruments fgm,fpi\n`);
    expect(await readFile(path.join(root, 'etc/systemd/system/sdc-scheduler.service'), 'utf8')).toContain('bin/sdc.js scheduler\n');
    expect(await readFile(path.join(root, 'etc/logrotate.d/sdc'), 'utf8')).toContain(`${root}/var/log/sdc/*.log {`);

    // The rendered configuration and secrets are what the SDC itself accepts.
    const env = Object.fromEntries((await readFile(path.join(root, 'etc/sdc/sdc.env'), 'utf8')).split('\n').filter((l) => /^[A-Z_]+=/.test(l)).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
    expect(env.SDC_CATALOG_URL).toBe('postgres://sdc:db%20pass%2Fwith%3Aodd%40chars@localhost:5432/sdc');
    expect(env.SDC_BUS_URL).toBe('amqp://sdc:mq-secret@localhost:5672/sdc');
    const config = await loadConfig({ env });
    expect(config.catalog).toMatchObject({ kind: 'postgres' });
    expect(config.bus).toMatchObject({ kind: 'amqp', url: env.SDC_BUS_URL });
    expect(config.store).toEqual({ kind: 'folder', root: path.join(root, 'srv/sdc/store') });
    expect(config.operations.drainTimeoutMs).toBe(120_000);
    expect(config.notifications.operators).toEqual([{ name: 'Ops', email: 'ops@example.org' }]);

    const second = await ansible('ansible-playbook', args);
    expect(second.code, second.out).toBe(0);
    expect(recap(second.out)).toMatchObject({ changed: 0, failed: 0 });
  }, 600_000);
});
