import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { SdcError } from '../errors/sdc-error.js';
import { formatIssues } from '../mission/load-mission.js';
import { configSchema, type SdcConfig } from './config-schema.js';

/** A configuration that failed validation; `problems` lists every bad key with its source. */
export class ConfigError extends SdcError {
  constructor(readonly source: string, readonly problems: string[]) {
    super('invalid-config', `invalid configuration (${source}):\n  - ${problems.join('\n  - ')}`, { source, problems });
  }
}

/** Environment variables the configuration reads, and the key each one sets. */
export const CONFIG_ENV = {
  SDC_CONFIG: 'path of the configuration file (default ./sdc.config.yaml when it exists)',
  SDC_DATA_DIR: 'dataDir',
  SDC_MISSION: 'mission',
  SDC_CATALOG_URL: 'catalog: a postgres:// URL, or pglite:<folder> / pglite:memory',
  SDC_BUS_URL: 'bus: an amqp:// URL, or memory',
  SDC_STORE: 'store: a folder path, or s3://bucket/prefix (endpoint from SDC_S3_ENDPOINT)',
  SDC_S3_ENDPOINT: 'store.endpoint (and forcePathStyle) for S3-protocol servers',
  SDC_API_PORT: 'api.port',
  SDC_LOG_LEVEL: 'log.level',
} as const;

export interface LoadConfigOptions {
  /** Explicit configuration file (e.g. `--config`); otherwise SDC_CONFIG or ./sdc.config.yaml. */
  file?: string;
  env?: NodeJS.ProcessEnv;
  /** Values that win over file and environment (e.g. command-line flags, tests). */
  overrides?: Record<string, unknown>;
}

/**
 * Reads the configuration file (if any), applies the environment and overrides, validates the
 * whole, and fails with every bad key. Relative paths are resolved against the working folder.
 */
export async function loadConfig(options: LoadConfigOptions = {}): Promise<SdcConfig> {
  const env = options.env ?? process.env;
  const file = options.file ?? env.SDC_CONFIG ?? (existsSync('sdc.config.yaml') ? 'sdc.config.yaml' : undefined);
  const fromFile = file ? await readConfigFile(file) : {};
  const merged = deepMerge(deepMerge(fromFile, fromEnvironment(env)), options.overrides ?? {});
  const result = configSchema.safeParse(merged);
  const source = [file ? `file ${file}` : undefined, 'environment', options.overrides ? 'overrides' : undefined].filter(Boolean).join(' + ');
  if (!result.success) throw new ConfigError(source, formatIssues(result.error.issues));
  return result.data;
}

async function readConfigFile(file: string): Promise<Record<string, unknown>> {
  let parsed: unknown;
  try {
    parsed = parseYaml(await readFile(file, 'utf8'));
  } catch (error) {
    throw new ConfigError(`file ${file}`, [`cannot read or parse: ${(error as Error).message}`]);
  }
  if (parsed === null || parsed === undefined) return {};
  if (typeof parsed !== 'object' || Array.isArray(parsed)) throw new ConfigError(`file ${file}`, ['the file must hold a mapping of keys']);
  return parsed as Record<string, unknown>;
}

function fromEnvironment(env: NodeJS.ProcessEnv): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (env.SDC_DATA_DIR) out.dataDir = env.SDC_DATA_DIR;
  if (env.SDC_MISSION) out.mission = env.SDC_MISSION;
  if (env.SDC_CATALOG_URL) out.catalog = catalogFromUrl(env.SDC_CATALOG_URL);
  if (env.SDC_BUS_URL) out.bus = env.SDC_BUS_URL === 'memory' ? { kind: 'memory' } : { kind: 'amqp', url: env.SDC_BUS_URL };
  if (env.SDC_STORE) out.store = storeFromUrl(env.SDC_STORE, env.SDC_S3_ENDPOINT);
  if (env.SDC_API_PORT) out.api = { port: Number(env.SDC_API_PORT) };
  if (env.SDC_LOG_LEVEL) out.log = { level: env.SDC_LOG_LEVEL };
  return out;
}

function catalogFromUrl(url: string): Record<string, unknown> {
  if (url === 'pglite:memory') return { kind: 'pglite', dataDir: 'memory://' };
  if (url.startsWith('pglite:')) return { kind: 'pglite', dataDir: url.slice('pglite:'.length) };
  return { kind: 'postgres', url };
}

function storeFromUrl(value: string, endpoint: string | undefined): Record<string, unknown> {
  if (!value.startsWith('s3://')) return { kind: 'folder', root: value };
  const [bucket = '', ...prefix] = value.slice('s3://'.length).split('/');
  return { kind: 's3', bucket, prefix: prefix.join('/'), ...(endpoint ? { endpoint, forcePathStyle: true } : {}) };
}

function deepMerge(base: Record<string, unknown>, extra: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(extra)) {
    const current = out[key];
    const bothObjects = isPlainObject(current) && isPlainObject(value);
    const sameKind = bothObjects && (value.kind === undefined || value.kind === current.kind);
    out[key] = bothObjects && sameKind ? deepMerge(current, value) : value;
  }
  return out;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Resolves a configured path against dataDir when it is not given explicitly. */
export function dataPath(config: SdcConfig, explicit: string | undefined, name: string): string {
  return path.resolve(explicit ?? path.join(config.dataDir, name));
}
