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
  /** The relay leaves the row alone until then (its transaction's owner publishes it first). */
  relay_after: Timestamp;
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
  /** The rule when the campaign holds one rule's scopes only (migration 0005: null for several). */
  rule: string | null;
  /** The pinned processor version and its tier; null: each rule's production version (0005). */
  processor: string | null;
  processor_version: string | null;
  tier: 'production' | 'staging' | null;
  deployment_id: number | null;
  /** Jobs queued per second at most. */
  rate: number;
  state: 'running' | 'paused' | 'cancelled' | 'done';
  selection: ColumnType<Record<string, unknown>, string | undefined, string>;
  /** Token bucket of the pump: jobs that may be queued now, and when it was last filled. */
  allowance: Generated<number>;
  pumped_at: Date | null;
  finished_at: Date | null;
  created_by: string;
  created_at: Timestamp;
}

export interface CampaignItemsTable {
  campaign_id: number;
  rule: string;
  group_key: string;
  group_values: Json<Record<string, string>>;
  window_start: Date;
  state: 'pending' | 'queued' | 'skipped' | 'cancelled';
  job_id: number | null;
  note: string | null;
  queued_at: Date | null;
}

export interface HandledMessagesTable {
  consumer: string;
  message_id: string;
  handled_at: Timestamp;
}

/** `mirror`: a mirror site's account, which reads the team mirror feed and nothing it could change. */
export type TeamRole = 'team-member' | 'instrument-admin' | 'sitl' | 'super-sitl' | 'operator' | 'mirror';

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

export type OperatorAlertKind = 'dead-jobs' | 'queue-backlog' | 'backup-lag' | 'integrity' | 'disk';

/** An alert of the operations monitor (migration 0008), kept to send each once. */
export interface OperatorAlertsTable {
  key: string;
  kind: OperatorAlertKind;
  subject: string;
  detail: string;
  first_seen_at: Timestamp;
  last_seen_at: Timestamp;
  last_sent_at: Date | null;
  resolved_at: Date | null;
  occurrences: Generated<number>;
}

/** A successful job as provenance keeps it (migration 0007): what ran, how, and the agents. */
export interface ProvenanceActivitiesTable {
  job_id: number;
  mission: string;
  processor: string;
  processor_version: string;
  bundle_sha256: string;
  image: string | null;
  runtime: string;
  configuration: Json<Record<string, unknown>>;
  parameters: Json<Record<string, unknown>>;
  host: string | null;
  started_at: Date | null;
  ended_at: Date;
  exit_code: number | null;
  instrument: string;
  deployed_by: string;
  triggered_by: string;
}

/** `file_id` was derived from `used_file_id` by job `job_id`. */
export interface ProvenanceDerivationsTable {
  file_id: number;
  used_file_id: number;
  job_id: number;
}

export interface ProvenanceKeysTable {
  key_id: string;
  public_key: string;
  created_at: Timestamp;
  retired_at: Date | null;
}

/** A file derived from an input found bad, marked for the campaign that regenerates it. */
export interface ProvenanceSuspectsTable {
  file_id: number;
  campaign_id: number;
  bad_file_id: number;
  marked_by: string;
  marked_at: Timestamp;
}

export type TraceEvent = 'ingest' | 'generation' | 'release' | 'backup' | 'withdrawal';

/** A lifecycle event of a file, queued by triggers and signed by the SDC's trace signer. */
export interface ProvenanceTracesTable {
  id: Generated<number>;
  file_id: number | null;
  file_name: string;
  sha256: string;
  size: number;
  event: TraceEvent;
  at: Timestamp;
  service: string;
  key_id: string | null;
  signature: string | null;
}

export interface SchemaMigrationsTable {
  version: string;
  applied_at: Timestamp;
}

/** Per-cycle burst metadata of one spacecraft (migration 0006). */
export interface SitlBurstMetadataTable {
  mission: string;
  spacecraft: string;
  tai: ColumnType<number, number, number>;
  data_segment_id: ColumnType<number | null, number | null, number | null>;
  cdq: number;
  mdq: number;
}

/** The burst data segment table; TAI seconds since 1958, `tai_end` = start of the last buffer. */
export interface SitlSegmentsTable {
  mission: string;
  id: ColumnType<number, number, number>;
  tai_start: ColumnType<number, number, number>;
  tai_end: ColumnType<number, number, number>;
  parameter_set_id: ColumnType<string, string | undefined, string>;
  fom: number;
  is_pending: ColumnType<boolean, boolean | undefined, boolean>;
  in_playlist: ColumnType<boolean, boolean | undefined, boolean>;
  status: ColumnType<string, string | undefined, string>;
  num_eval_cycles: ColumnType<number, number | undefined, number>;
  source_id: ColumnType<string, string | undefined, string>;
  create_time: ColumnType<Date | null, Date | null | undefined, Date | null>;
  finish_time: ColumnType<Date | null, Date | null | undefined, Date | null>;
  num_bufs: ColumnType<number[], number[] | undefined, number[]>;
  alloc_bufs: ColumnType<number[], number[] | undefined, number[]>;
  rem_files: ColumnType<number[], number[] | undefined, number[]>;
  discussion: ColumnType<string, string | undefined, string>;
  updated_at: Timestamp;
}

export interface SitlWindowsTable {
  id: Generated<number>;
  mission: string;
  cycle_start: ColumnType<number, number, number>;
  num_cycles: number;
  evaluated_at: Date;
  source_file: string;
  abs_file: string;
  selections: Json<unknown>;
  uplinked_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  uplinked_by: ColumnType<string | null, string | null | undefined, string | null>;
  close_tai: ColumnType<number | null, number | null | undefined, number | null>;
  closes_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  abs_notified_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

export interface SitlSegmentHistoryTable {
  id: Generated<number>;
  mission: string;
  segment_id: ColumnType<number, number, number>;
  status: string;
  is_pending: ColumnType<boolean | null, boolean | null | undefined, boolean | null>;
  in_playlist: ColumnType<boolean | null, boolean | null | undefined, boolean | null>;
  recorded_at: ColumnType<Date, Date | undefined, Date>;
}

/** Mission events from the operations centre's event feed (sub-ROIs, orbits...), by the centre's id. */
export interface SitlEventsTable {
  mission: string;
  id: ColumnType<number, number, number>;
  event_type: string;
  spacecraft: ColumnType<string, string | undefined, string>;
  source: ColumnType<string, string | undefined, string>;
  start_time: Date;
  end_time: Date;
  description: ColumnType<string, string | undefined, string>;
  discussion: ColumnType<string, string | undefined, string>;
  start_orbit: ColumnType<number | null, number | null | undefined, number | null>;
  end_orbit: ColumnType<number | null, number | null | undefined, number | null>;
  tag: ColumnType<string, string | undefined, string>;
  updated_at: Timestamp;
}

export interface SitlSubmissionsTable {
  id: Generated<number>;
  mission: string;
  window_id: number | null;
  kind: 'draft' | 'uplink' | 'back-structure';
  submitted_by: string;
  submitted_at: Timestamp;
  body: Json<unknown>;
  warnings: Json<unknown>;
  digest: string;
}

export interface SitlDeliveriesTable {
  id: Generated<number>;
  mission: string;
  target: 'poc' | 'publish';
  name: string;
  content: string;
  /** `base64` for a binary file (content holds its base64 text). */
  content_encoding: ColumnType<'utf8' | 'base64', 'utf8' | 'base64' | undefined, 'utf8' | 'base64'>;
  submission_id: number | null;
  window_id: number | null;
  created_at: Timestamp;
  delivered_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
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
  operator_alerts: OperatorAlertsTable;
  provenance_activities: ProvenanceActivitiesTable;
  provenance_derivations: ProvenanceDerivationsTable;
  provenance_keys: ProvenanceKeysTable;
  provenance_traces: ProvenanceTracesTable;
  provenance_suspects: ProvenanceSuspectsTable;
  schema_migrations: SchemaMigrationsTable;
  sitl_burst_metadata: SitlBurstMetadataTable;
  sitl_segments: SitlSegmentsTable;
  sitl_segment_history: SitlSegmentHistoryTable;
  sitl_windows: SitlWindowsTable;
  sitl_submissions: SitlSubmissionsTable;
  sitl_deliveries: SitlDeliveriesTable;
  sitl_events: SitlEventsTable;
}

export type FileRow = Selectable<FilesTable>;
export type NewFileRow = Insertable<FilesTable>;
export type JobRow = Selectable<JobsTable>;
