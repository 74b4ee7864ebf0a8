import { sql, type Kysely } from 'kysely';
import type { CatalogSchema } from '../catalog/catalog-schema.js';

/** How far one backup target is behind the hot store. */
export interface BackupLag {
  target: string;
  /** Production files with no verified copy in the target. */
  filesBehind: number;
  /** Age of the oldest such file (since it was ingested); 0 when none is behind. */
  lagSeconds: number;
}

/**
 * Backup lag per target: the age of the oldest production file the target holds no verified
 * copy of. It grows while backups fail or do not run, and falls to 0 when a run catches up.
 */
export async function backupLags(db: Kysely<CatalogSchema>, targets: readonly string[], now: Date): Promise<BackupLag[]> {
  const lags: BackupLag[] = [];
  for (const target of targets) {
    const row = await sql<{ files: string; oldest: Date | null }>`
      select count(*) as files, min(f.ingested_at) as oldest
      from files f
      where f.tier = 'production'
        and not exists (select 1 from archive_copies c where c.file_id = f.id and c.target = ${target})`.execute(db);
    const { files, oldest } = row.rows[0] ?? { files: '0', oldest: null };
    lags.push({ target, filesBehind: Number(files), lagSeconds: oldest ? Math.max(0, (now.getTime() - new Date(oldest).getTime()) / 1000) : 0 });
  }
  return lags;
}
