/**
 * Row types of the catalog tables (see migrations/). Kysely's `Generated` marks columns the
 * database fills in.
 */
import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T> = ColumnType<T, string, string>;

export interface FilesTable {
  id: Generated<number>;
  mission: string;
  name: string;
  kind: string;
  product: string;
  stem: string;
  spacecraft: string | null;
  instrument: string | null;
  mode: string | null;
  level: string | null;
  descriptor: string | null;
  data_type: string | null;
  start_time: Date;
  end_time: Date;
  version: number[];
  version_label: string;
  size: number;
  sha256: string;
  store_key: string;
  tier: 'production' | 'staging';
  source: 'drop' | 'upload' | 'job';
  job_id: number | null;
  ingested_at: Timestamp;
  metadata: Json<Record<string, unknown>>;
  /** When the file became public (migration 0003); null = team only. */
  released_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

export interface OutboxTable {
  id: Generated<number>;
  message_id: string;
  type: string;
  routing_key: string;
  body: Json<unknown>;
  priority: number;
  created_at: Timestamp;
}

export interface QuarantineTable {
  id: Generated<number>;
  mission: string;
  name: string;
  reason_code: string;
  reason: string;
  size: number | null;
  sha256: string | null;
  location: string | null;
  source: string;
  received_at: Timestamp;
}

export type JobState = 'queued' | 'running' | 'succeeded' | 'failed' | 'retrying' | 'dead';

export interface JobsTable {
  id: Generated<number>;
  mission: string;
  rule: string;
  processor: string;
  processor_version: string;
  tier: 'production' | 'staging';
  group_key: string;
  window_start: Date;
  window_end: Date;
  inputs_hash: string;
  inputs: Json<JobInput[]>;
  state: JobState;
  attempts: Generated<number>;
  exit_code: number | null;
  host: string | null;
  error: string | null;
  log: string | null;
  created_at: Timestamp;
  started_at: Date | null;
  finished_at: Date | null;
  /** 9 highest; live data 5, campaigns lower. */
  priority: Generated<number>;
  campaign_id: number | null;
  deployment_id: number | null;
}

/** One input of a job as recorded with it (identity and provenance). */
export interface JobInput {
  fileId: number;
  name: string;
  sha256: string;
}

export interface JobInputsTable {
  job_id: number;
  file_id: number;
}

export interface ProcessorDeploymentsTable {
  id: Generated<number>;
  mission: string;
  name: string;
  version: string;
  tier: 'production' | 'staging';
  bundle_path: string;
  bundle_sha256: string;
  manifest: Json<unknown>;
  active: Generated<boolean>;
  deployed_at: Timestamp;
  deployed_by: string;
  retired_at: Date | null;
}

export interface JobTriggersTable {
  mission: string;
  rule: string;
  group_key: string;
  group_values: Json<Record<string, string>>;
  window_start: Date;
  due_at: Date | null;
  missing: string | null;
  updated_at: Timestamp;
}

export interface CampaignsTable {
  id: Generated<number>;
  mission: string;
  description: string;
  rule: string;
  processor: string;
  processor_version: string;
  tier: 'production' | 'staging';
  rate: number;
  state: 'running' | 'paused' | 'cancelled' | 'done';
  created_by: string;
  created_at: Timestamp;
}

export interface CampaignItemsTable {
  campaign_id: number;
  group_key: string;
  group_values: Json<Record<string, string>>;
  window_start: Date;
  state: 'pending' | 'queued' | 'skipped' | 'cancelled';
  job_id: number | null;
  note: string | null;
}

export interface HandledMessagesTable {
  consumer: string;
  message_id: string;
  handled_at: Timestamp;
}

export type TeamRole = 'team-member' | 'instrument-admin' | 'sitl' | 'super-sitl' | 'operator';

export interface ApiUsersTable {
  id: Generated<number>;
  name: string;
  password_hash: string | null;
  created_at: Timestamp;
  disabled_at: Date | null;
}

export interface ApiUserRolesTable {
  user_id: number;
  mission: string;
  /** An instrument id, or `*` for every instrument. */
  instrument: string;
  role: TeamRole;
}

export interface ApiTokensTable {
  id: Generated<number>;
  user_id: number;
  token_sha256: string;
  label: string;
  created_at: Timestamp;
  expires_at: Date | null;
  revoked_at: Date | null;
  last_used_at: Date | null;
}

export interface ReleaseApprovalsTable {
  id: Generated<number>;
  mission: string;
  product: string;
  version_label: string;
  approved_by: string;
  approved_at: Timestamp;
  withdrawn_by: string | null;
  withdrawn_at: Date | null;
  withdraw_reason: string | null;
}

export interface ReleaseAuditTable {
  id: Generated<number>;
  mission: string;
  action: 'approve' | 'withdraw' | 'release' | 'snapshot';
  actor: string;
  product: string | null;
  version_label: string | null;
  files: Generated<number>;
  detail: string | null;
  at: Timestamp;
}

export interface ReleaseSnapshotsTable {
  id: Generated<number>;
  mission: string;
  name: string;
  description: string;
  created_by: string;
  created_at: Timestamp;
}

export interface ReleaseSnapshotFilesTable {
  snapshot_id: number;
  file_id: number;
  stem: string;
}

export interface SchemaMigrationsTable {
  version: string;
  applied_at: Timestamp;
}

export interface CatalogSchema {
  files: FilesTable;
  outbox: OutboxTable;
  quarantine: QuarantineTable;
  jobs: JobsTable;
  job_inputs: JobInputsTable;
  handled_messages: HandledMessagesTable;
  processor_deployments: ProcessorDeploymentsTable;
  job_triggers: JobTriggersTable;
  campaigns: CampaignsTable;
  campaign_items: CampaignItemsTable;
  api_users: ApiUsersTable;
  api_user_roles: ApiUserRolesTable;
  api_tokens: ApiTokensTable;
  release_approvals: ReleaseApprovalsTable;
  release_audit: ReleaseAuditTable;
  release_snapshots: ReleaseSnapshotsTable;
  release_snapshot_files: ReleaseSnapshotFilesTable;
  schema_migrations: SchemaMigrationsTable;
}

export type FileRow = Selectable<FilesTable>;
export type NewFileRow = Insertable<FilesTable>;
export type JobRow = Selectable<JobsTable>;
