/**
 * Row types of the archive tables (migrations/0004_archive.sql, 0009_glacier.sql,
 * 0013_mirror_access_and_vault_resume.sql), merged into the catalog schema
 * for the archive's queries. Kept here so the archive's schema changes stay in one place.
 */
import type { ColumnType, Generated, Kysely, Selectable, Transaction } from 'kysely';
import type { CatalogSchema, FilesTable } from '../catalog/catalog-schema.js';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export interface ArchiveCopiesTable {
  file_id: number;
  target: string;
  location: string;
  size: number;
  sha256: string;
  storage_class: string | null;
  run_id: number | null;
  backed_up_at: Timestamp;
  verified_at: Timestamp;
}

export interface ArchiveRunsTable {
  id: Generated<number>;
  target: string;
  state: 'running' | 'done' | 'failed' | 'interrupted';
  files: Generated<number>;
  bytes: Generated<number>;
  manifest_key: string | null;
  error: string | null;
  started_at: Timestamp;
  heartbeat_at: Timestamp;
  finished_at: Date | null;
}

export interface ArchiveRestoresTable {
  file_id: number;
  target: string;
  state: 'requested' | 'completed' | 'failed';
  tier: string;
  error: string | null;
  requested_at: Timestamp;
  completed_at: Date | null;
}

export interface AuditRunsTable {
  id: Generated<number>;
  location: string;
  state: 'running' | 'done' | 'aborted' | 'failed';
  checked: Generated<number>;
  problems: Generated<number>;
  repaired: Generated<number>;
  note: string | null;
  started_at: Timestamp;
  finished_at: Date | null;
}

export type AuditFindingKind = 'missing' | 'dark' | 'size-mismatch' | 'checksum-mismatch';

export interface AuditFindingsTable {
  id: Generated<number>;
  run_id: number;
  location: string;
  kind: AuditFindingKind;
  file_id: number | null;
  key: string;
  expected_size: number | null;
  actual_size: number | null;
  expected_sha256: string | null;
  actual_sha256: string | null;
  repair: string | null;
  repaired: Generated<boolean>;
  found_at: Timestamp;
}

export type FileChange = 'added' | 'superseded' | 'withdrawn';

export interface FileChangesTable {
  cursor: Generated<number>;
  change: FileChange;
  file_id: number;
  mission: string;
  name: string;
  store_key: string;
  size: number;
  sha256: string;
  version_label: string;
  changed_at: Timestamp;
}

/** Which change feed: `team` (every production file) or `public` (released files). */
export type MirrorFeed = 'team' | 'public';

export interface MirrorsTable {
  name: string;
  cursor: Generated<number>;
  registered_at: Timestamp;
  acknowledged_at: Date | null;
  feed: Generated<MirrorFeed>;
  account: string | null;
}

export interface GlacierUploadsTable {
  target: string;
  upload_id: string;
  key: string;
  size: number;
  sha256: string;
  part_size: number;
  started_at: Timestamp;
}

export interface GlacierUploadPartsTable {
  target: string;
  upload_id: string;
  range_start: number;
  size: number;
  tree_hash: string;
}

export interface GlacierArchivesTable {
  target: string;
  archive_id: string;
  key: string;
  size: number;
  sha256: string;
  tree_hash: string;
  uploaded_at: Timestamp;
}

export type GlacierJobAction = 'archive-retrieval' | 'inventory-retrieval';

export interface GlacierJobsTable {
  target: string;
  job_id: string;
  action: GlacierJobAction;
  archive_id: string | null;
  tier: string | null;
  state: 'in-progress' | 'succeeded' | 'failed';
  status_message: string | null;
  requested_at: Timestamp;
  completed_at: Date | null;
}

export interface GlacierInventoriesTable {
  target: string;
  job_id: string;
  inventory_date: Date;
  retrieved_at: Timestamp;
}

export interface GlacierInventoryEntriesTable {
  target: string;
  archive_id: string;
  size: number;
  tree_hash: string;
  description: string | null;
  created_at: Date;
}

export type SystemItemKind = 'processor-bundle' | 'mission-config';

export interface ArchiveSystemItemsTable {
  id: Generated<number>;
  mission: string;
  kind: SystemItemKind;
  owner: string;
  path: string;
  key: string;
  size: number;
  sha256: string;
  bundle_sha256: string | null;
  recorded_at: Timestamp;
}

export interface ArchiveSystemCopiesTable {
  item_id: number;
  target: string;
  location: string;
  size: number;
  sha256: string;
  storage_class: string | null;
  run_id: number | null;
  backed_up_at: Timestamp;
}

/** The catalog as the archive sees it: every table, plus the archive's own and its column on `files`. */
export interface ArchiveSchema extends Omit<CatalogSchema, 'files'> {
  files: FilesTable & { hot_pruned_at: ColumnType<Date | null, never, Date | null> };
  archive_copies: ArchiveCopiesTable;
  archive_runs: ArchiveRunsTable;
  archive_restores: ArchiveRestoresTable;
  audit_runs: AuditRunsTable;
  audit_findings: AuditFindingsTable;
  file_changes: FileChangesTable;
  public_file_changes: FileChangesTable;
  mirrors: MirrorsTable;
  glacier_archives: GlacierArchivesTable;
  glacier_jobs: GlacierJobsTable;
  glacier_inventories: GlacierInventoriesTable;
  glacier_inventory_entries: GlacierInventoryEntriesTable;
  glacier_uploads: GlacierUploadsTable;
  glacier_upload_parts: GlacierUploadPartsTable;
  archive_system_items: ArchiveSystemItemsTable;
  archive_system_copies: ArchiveSystemCopiesTable;
}

export type ArchiveDb = Kysely<ArchiveSchema>;
export type ArchiveTrx = Transaction<ArchiveSchema>;
export type ArchiveCopyRow = Selectable<ArchiveCopiesTable>;
export type ArchivedFileRow = Selectable<ArchiveSchema['files']>;
export type FileChangeRow = Selectable<FileChangesTable>;
export type GlacierArchiveRow = Selectable<GlacierArchivesTable>;
export type SystemItemRow = Selectable<ArchiveSystemItemsTable>;

/** The catalog handle typed with the archive's tables (same connection; the migration adds them). */
export function archiveDb(db: Kysely<CatalogSchema>): ArchiveDb {
  return db as unknown as ArchiveDb;
}
