import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './load-config.js';

describe('loadConfig', () => {
  it('gives the embedded default with no file and no environment', async () => {
    const config = await loadConfig({ env: {} });
    expect(config).toMatchObject({ dataDir: '.sdc', catalog: { kind: 'pglite' }, bus: { kind: 'memory' }, store: { kind: 'folder' }, api: { port: 8080 } });
  });

  it('lets the environment choose the production adapters over the file', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'sdc-config-'));
    const file = path.join(dir, 'sdc.yaml');
    await writeFile(file, 'catalog: { kind: pglite, dataDir: /tmp/x }\napi: { port: 9000 }\n');
    const config = await loadConfig({
      file,
      env: { SDC_CATALOG_URL: 'postgres://sdc@db/sdc', SDC_BUS_URL: 'amqp://mq', SDC_STORE: 's3://bucket/data/sdc', SDC_S3_ENDPOINT: 'http://127.0.0.1:9000' },
    });
    expect(config.catalog).toEqual({ kind: 'postgres', url: 'postgres://sdc@db/sdc', poolSize: 10 });
    expect(config.bus).toEqual({ kind: 'amqp', url: 'amqp://mq', exchange: 'sdc.events' });
    expect(config.store).toMatchObject({ kind: 's3', bucket: 'bucket', prefix: 'data/sdc', endpoint: 'http://127.0.0.1:9000', forcePathStyle: true });
    expect(config.api.port).toBe(9000);
  });

  it('fails with every bad key, naming the source', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'sdc-config-'));
    const file = path.join(dir, 'sdc.yaml');
    await writeFile(file, 'catalog: { kind: postgres, url: mysql://x }\napi: { port: 70000 }\nunknownKey: 1\n');
    const error = await loadConfig({ file, env: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toMatch(/catalog\.url: a postgres:\/\/ URL/);
    expect(problems).toMatch(/api\.port/);
    expect(problems).toMatch(/unknownKey/);
    expect((error as Error).message).toContain(file);
  });

  it('refuses a file that is not YAML with a clear message', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'sdc-config-'));
    const file = path.join(dir, 'sdc.yaml');
    await writeFile(file, 'catalog: [unclosed\n');
    await expect(loadConfig({ file, env: {} })).rejects.toThrow(/cannot read or parse/);
  });
});
