import type { BackupTargetConfig } from '../archive-config.js';
import type { ArchiveDb } from '../archive-tables.js';
import type { BackupTarget, ColdRestorer } from './backup-target.js';
import { FolderBackupTarget } from './folder-backup-target.js';
import { GlacierVaultTarget } from './glacier/glacier-vault-target.js';
import { S3BackupTarget } from './s3-backup-target.js';

/**
 * Opens the target a configuration entry names; `defaultFolderRoot` is used for a folder target
 * without a root; `db` keeps a vault target's archive ids and jobs.
 */
export async function createBackupTarget(config: BackupTargetConfig, defaultFolderRoot: string, db: ArchiveDb, options: { restorer?: ColdRestorer } = {}): Promise<BackupTarget> {
  if (config.kind === 'folder') return FolderBackupTarget.open(config.name, config.root ?? defaultFolderRoot);
  if (config.kind === 'glacier') return new GlacierVaultTarget(config, db);
  return new S3BackupTarget({ ...config, restorer: options.restorer });
}
