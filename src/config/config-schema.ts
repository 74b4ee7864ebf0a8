/**
 * The SDC's one configuration object: which adapter each part uses and where things live.
 * Every key has a default suited to the embedded default (PGlite, in-process bus, local
 * folders under `dataDir`), so an empty configuration runs a whole SDC on one machine.
 */
import { z } from 'zod';
import { archiveConfigSchema, DEFAULT_ARCHIVE_CONFIG } from '../archive/archive-config.js';
import { DEFAULT_NOTIFICATION_CONFIG, notificationConfigSchema } from '../notifications/notification-config.js';
import { DEFAULT_OPERATIONS_CONFIG, operationsConfigSchema } from '../operations/operations-config.js';
import { runtimeConfigSchema } from '../processors/runtime-config.js';
import { DEFAULT_PROCESSING_SCHEDULES, processingSchedulesSchema } from '../jobs/schedule-config.js';

const catalog = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('pglite'), dataDir: z.string().optional() }).strict(),
  z.object({ kind: z.literal('postgres'), url: z.string().regex(/^postgres(ql)?:\/\//, 'a postgres:// URL'), poolSize: z.number().int().min(1).max(200).default(10) }).strict(),
]);

const bus = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('memory') }).strict(),
  z.object({ kind: z.literal('amqp'), url: z.string().regex(/^amqps?:\/\//, 'an amqp:// URL'), exchange: z.string().default('sdc.events') }).strict(),
]);

const store = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('folder'), root: z.string().optional() }).strict(),
  z
    .object({
      kind: z.literal('s3'),
      bucket: z.string().min(3),
      prefix: z.string().default(''),
      region: z.string().default('us-east-1'),
      endpoint: z.string().url().optional(),
      forcePathStyle: z.boolean().default(false),
      accessKeyId: z.string().optional(),
      secretAccessKey: z.string().optional(),
      checksums: z.enum(['WHEN_SUPPORTED', 'WHEN_REQUIRED']).default('WHEN_SUPPORTED'),
    })
    .strict(),
]);

export const configSchema = z
  .object({
    /** Base folder of everything the embedded default keeps on disk. */
    dataDir: z.string().default('.sdc'),
    /**
     * The mission to serve: a folder holding mission.yaml, or a mission id under `missionsDir`;
     * when absent, the only mission under `missionsDir`.
     */
    mission: z.string().min(1).optional(),
    missionsDir: z.string().optional(),
    catalog: catalog.default({ kind: 'pglite' }),
    bus: bus.default({ kind: 'memory' }),
    store: store.default({ kind: 'folder' }),
    ingest: z
      .object({
        /** Watched folder where the POC/MOC drop files; defaults to `<dataDir>/drop`. */
        dropDir: z.string().optional(),
        /** Where rejected arrivals go with a `.reason.json` beside them; defaults to `<dataDir>/quarantine`. */
        quarantineDir: z.string().optional(),
        /** Batches of arrivals ingested at once. */
        concurrency: z.number().int().min(1).max(64).default(4),
        /** Arrivals recorded in one catalog transaction. */
        batchSize: z.number().int().min(1).max(1000).default(100),
        /** A dropped file is taken once its size has not changed for this long. */
        stableMs: z.number().int().min(0).default(500),
      })
      .strict()
      .default({ concurrency: 4, batchSize: 100, stableMs: 500 }),
    sitl: z
      .object({
        /** Outgoing drop folder of the files for the operations centre (accepted SITL selections); defaults to `<dataDir>/poc-outgoing`. */
        pocOutDir: z.string().optional(),
      })
      .strict()
      .default({}),
    processing: z
      .object({
        /** Scratch folders of running jobs; defaults to `<dataDir>/work`. */
        workDir: z.string().optional(),
        /** Jobs run at once by one worker process. */
        concurrency: z.number().int().min(1).max(64).default(2),
        /** Delays before retries of a failed job; after the last, it is dead. */
        retryDelaysMs: z.array(z.number().int().min(0)).default([5_000, 60_000]),
        /** Longest a processor may run before it is killed (a manifest may ask for less). */
        timeoutMs: z.number().int().min(1000).default(3_600_000),
        /** Where processors run: `process` (default), `container` (Docker/Podman) or `kubernetes`; see docs/processors.md. */
        runtime: runtimeConfigSchema.default({ kind: 'process' }),
        /** Another runtime for some processors, by processor name. */
        processorRuntimes: z.record(z.string(), runtimeConfigSchema).default({}),
        /** Arrivals for one job within this time are coalesced into one job (a rule may set its own). */
        debounceMs: z.number().int().min(0).default(2_000),
        /** Cron schedules of the processing process: nightly re-check of waiting inputs, campaign pump (see docs/processors.md). */
        schedules: processingSchedulesSchema.default(DEFAULT_PROCESSING_SCHEDULES),
      })
      .strict()
      .default({ concurrency: 2, retryDelaysMs: [5_000, 60_000], timeoutMs: 3_600_000, runtime: { kind: 'process' }, processorRuntimes: {}, debounceMs: 2_000, schedules: DEFAULT_PROCESSING_SCHEDULES }),
    api: z
      .object({
        host: z.string().default('127.0.0.1'),
        port: z.number().int().min(0).max(65535).default(8080),
        /** Largest file accepted by an upload, in bytes (413 above). */
        maxUploadBytes: z.number().int().min(1).default(5 * 1024 ** 3),
      })
      .strict()
      .default({ host: '127.0.0.1', port: 8080, maxUploadBytes: 5 * 1024 ** 3 }),
    auth: z
      .object({
        /** OIDC bearer tokens (JWT), verified against the identity provider's JWKS. */
        oidc: z
          .object({
            jwksUrl: z.string().url(),
            issuer: z.string().min(1),
            audience: z.string().min(1),
            /** Claim naming the user (matched to a team account of that name for its roles). */
            usernameClaim: z.string().default('preferred_username'),
            /** Optional claim listing roles as `<instrument|*>:<role>` strings. */
            rolesClaim: z.string().optional(),
          })
          .strict()
          .optional(),
        /** Failed logins per user name and per client address within the window before 429. */
        maxFailedLogins: z.number().int().min(1).default(10),
        failedLoginWindowMs: z.number().int().min(1000).default(900_000),
      })
      .strict()
      .default({ maxFailedLogins: 10, failedLoginWindowMs: 900_000 }),
    archive: archiveConfigSchema.default(DEFAULT_ARCHIVE_CONFIG),
    /** Who is told of failed jobs, and how (SMTP, webhooks); see docs/notifications.md. */
    notifications: notificationConfigSchema.default(DEFAULT_NOTIFICATION_CONFIG),
    /** Provenance traces: where the SDC's Ed25519 trace-signing key lives; see docs/provenance.md. */
    provenance: z
      .object({
        /** The key file (generated on first start when absent, mode 0600); defaults to `<dataDir>/keys/trace-signing-key.json`. */
        keyFile: z.string().min(1).optional(),
        /** Pause of the trace signer between looks for new traces, in ms. */
        signIntervalMs: z.number().int().min(10).max(60_000).default(250),
      })
      .strict()
      .default({ signIntervalMs: 250 }),
    /** The operations monitor, its alert limits and the workers' drain grace; see docs/operations.md. */
    operations: operationsConfigSchema.default(DEFAULT_OPERATIONS_CONFIG),
    log: z
      .object({ level: z.enum(['error', 'warn', 'info', 'debug']).default('info') })
      .strict()
      .default({ level: 'info' }),
  })
  .strict();

export type SdcConfig = z.infer<typeof configSchema>;
export type SdcConfigInput = z.input<typeof configSchema>;
