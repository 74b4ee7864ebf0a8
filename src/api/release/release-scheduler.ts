import cron, { type ScheduledTask } from 'node-cron';
import type { Logger } from '../../logging/logger.js';
import type { ReleaseService } from './release-service.js';

/** Runs the release policy on the mission's schedule; one run at a time. */
export function scheduleReleases(service: ReleaseService, schedule: string, logger: Logger): ScheduledTask {
  return cron.schedule(
    schedule,
    async () => {
      try {
        const groups = await service.run();
        for (const g of groups) logger.info('released', { product: g.product, version: g.version, files: g.files });
      } catch (error) {
        logger.error('release run failed', { error: error instanceof Error ? error.message : String(error) });
      }
    },
    { noOverlap: true, name: 'release' },
  );
}
