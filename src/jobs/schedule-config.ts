import cron from 'node-cron';
import { z } from 'zod';

const cronExpression = z.string().refine((e) => cron.validate(e), 'a cron expression, e.g. "30 2 * * *" (a sixth leading field counts seconds)');

/**
 * Recurring processing work (node-cron expressions; `null` turns one off), run by the process
 * that runs processing: the re-check of scopes still waiting for inputs, and the campaign pump.
 */
export const processingSchedulesSchema = z
  .object({
    /** Makes every scope waiting for a required input due again (inputs that arrived without triggering it). */
    recheckWaiting: cronExpression.nullable().default('30 2 * * *'),
    /** Queues the jobs running campaigns may queue now (their rate is kept in the catalog). */
    campaignPump: cronExpression.nullable().default('*/5 * * * * *'),
  })
  .strict();

export type ProcessingSchedulesConfig = z.infer<typeof processingSchedulesSchema>;

export const DEFAULT_PROCESSING_SCHEDULES: ProcessingSchedulesConfig = { recheckWaiting: '30 2 * * *', campaignPump: '*/5 * * * * *' };
