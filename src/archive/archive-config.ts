/**
 * The `archive` section of the configuration: backup targets, schedules, audit and retention.
 * The default is one folder target, `<dataDir>/backup`, so the embedded default backs up too.
 */
import cron from 'node-cron';
import { z } from 'zod';

/** S3 storage classes a backup target may write; GLACIER and DEEP_ARCHIVE need a restore before a GET. */
export const S3_STORAGE_CLASSES = ['DEEP_ARCHIVE', 'GLACIER', 'GLACIER_IR', 'STANDARD_IA', 'STANDARD'] as const;
export type S3StorageClass = (typeof S3_STORAGE_CLASSES)[number];

const cronExpression = z.string().refine((e) => cron.validate(e), 'a cron expression, e.g. "0 2 * * *"');

const targetName = z.string().regex(/^[a-z][a-z0-9-]{0,39}$/, 'lowercase letters, digits and dashes, starting with a letter');

const folderTarget = z.object({ name: targetName, kind: z.literal('folder'), root: z.string().optional() }).strict();

const s3Target = z
  .object({
    name: targetName,
    kind: z.literal('s3'),
    bucket: z.string().min(3),
    prefix: z.string().default(''),
    region: z.string().default('us-east-1'),
    endpoint: z.string().url().optional(),
    forcePathStyle: z.boolean().default(false),
    accessKeyId: z.string().optional(),
    secretAccessKey: z.string().optional(),
    checksums: z.enum(['WHEN_SUPPORTED', 'WHEN_REQUIRED']).default('WHEN_SUPPORTED'),
    storageClass: z.enum(S3_STORAGE_CLASSES).default('DEEP_ARCHIVE'),
    /**
     * How an upload is verified: `read-back` GETs and re-hashes it (needs a readable class, or a
     * server that ignores classes); `checksum` trusts S3's SHA-256 check of every part and
     * compares the size and the recorded sha256 by HEAD. Default: `checksum` for GLACIER and
     * DEEP_ARCHIVE, `read-back` otherwise.
     */
    verify: z.enum(['read-back', 'checksum']).optional(),
    /** Restore tier for GLACIER / DEEP_ARCHIVE copies. */
    restoreTier: z.enum(['Expedited', 'Standard', 'Bulk']).default('Standard'),
    /** Days a restored copy stays readable. */
    restoreDays: z.number().int().min(1).max(30).default(3),
    partSizeBytes: z.number().int().min(5 * 1024 * 1024).optional(),
  })
  .strict();

const MIB = 1024 * 1024;

/** Glacier multipart parts are 1 MiB × 2ⁿ, up to 4 GiB. */
const glacierPartSize = z
  .number()
  .int()
  .refine((n) => n >= MIB && n <= 4096 * MIB && n % MIB === 0 && Number.isInteger(Math.log2(n / MIB)), 'a power of two times 1 MiB (1048576, 2097152, ... 4294967296)');

/**
 * A vault of the (legacy) Glacier service, for sites that already have one; new sites use an S3
 * target with a Glacier storage class (AWS takes no new vault customers since December 2025).
 */
const glacierTarget = z
  .object({
    name: targetName,
    kind: z.literal('glacier'),
    vault: z.string().regex(/^[A-Za-z0-9_.-]{1,255}$/, 'letters, digits, _ . - (1 to 255)'),
    /** The AWS account owning the vault; `-` is the credentials' own. */
    accountId: z.string().default('-'),
    region: z.string().default('us-east-1'),
    endpoint: z.string().url().optional(),
    accessKeyId: z.string().optional(),
    secretAccessKey: z.string().optional(),
    /** Files larger than one part go in a multipart upload of parts this size. */
    partSizeBytes: glacierPartSize.default(8 * MIB),
    /** Retrieval tier of restore jobs when the command does not name one. */
    restoreTier: z.enum(['Expedited', 'Standard', 'Bulk']).default('Standard'),
    /** An audit asks for a new inventory when the last one retrieved is older than this. */
    inventoryMaxAgeHours: z.number().positive().default(24),
  })
  .strict();

export const archiveConfigSchema = z
  .object({
    targets: z.array(z.discriminatedUnion('kind', [folderTarget, s3Target, glacierTarget])).default([{ name: 'local', kind: 'folder' }]),
    /** Files copied at once by one backup run. */
    concurrency: z.number().int().min(1).max(64).default(4),
    /** node-cron expressions run by `sdc up`; absent means not scheduled. */
    schedule: z.object({ backup: cronExpression.optional(), audit: cronExpression.optional(), retention: cronExpression.optional() }).strict().default({}),
    audit: z
      .object({
        /** An audit that finds more than this share of a location bad stops and alerts instead of repairing. */
        maxProblemShare: z.number().min(0).max(1).default(0.2),
        repair: z.boolean().default(true),
        /** Re-hash every copy (true) or compare sizes only (false). */
        checksums: z.boolean().default(true),
      })
      .strict()
      .default({ maxProblemShare: 0.2, repair: true, checksums: true }),
    retention: z
      .object({
        /** Superseded versions older than this (by ingestion) leave the hot store once verified in every target; absent keeps them. */
        pruneSupersededAfterDays: z.number().int().min(0).optional(),
      })
      .strict()
      .default({}),
  })
  .strict();

export type ArchiveConfig = z.infer<typeof archiveConfigSchema>;
export type BackupTargetConfig = ArchiveConfig['targets'][number];
export type S3TargetConfig = z.infer<typeof s3Target>;
export type GlacierTargetConfig = z.infer<typeof glacierTarget>;

/** The section's value when the configuration omits it. */
export const DEFAULT_ARCHIVE_CONFIG: ArchiveConfig = archiveConfigSchema.parse({});
