/**
 * The `operations` section of the configuration: the scheduler's operations monitor and the
 * limits past which operators are told something is wrong (see docs/operations.md).
 */
import { z } from 'zod';

export const operationsConfigSchema = z
  .object({
    /** When the operations monitor runs (cron syntax, in the scheduler process). */
    monitorSchedule: z.string().default('*/5 * * * *'),
    /** A job queue holding more ready messages than this is backing up. */
    queueBacklog: z.number().int().min(1).default(500),
    /** Hours since the last completed backup run of a target past which the backup lags. */
    backupLagHours: z.number().min(0.01).default(36),
    /** Free space (percent) of the store, data and work folders under which a disk is filling. */
    diskFreePercent: z.number().min(0).max(100).default(10),
    /** Folders whose file systems are watched besides the data folder (store root, work folder). */
    diskPaths: z.array(z.string().min(1)).default([]),
    /** An alert still true is repeated to operators at most this often; a new alert goes at once. */
    repeatAfterMs: z.number().int().min(0).default(6 * 3_600_000),
    /** A worker's grace to finish its running jobs on SIGTERM; past it, they are given back to the queue. */
    drainTimeoutMs: z.number().int().min(0).default(600_000),
  })
  .strict();

export type OperationsConfig = z.infer<typeof operationsConfigSchema>;

export const DEFAULT_OPERATIONS_CONFIG: OperationsConfig = operationsConfigSchema.parse({});
