-- The catalog: every version of every file, the outbox of events to publish, quarantined
-- arrivals, jobs and the messages already handled by each consumer.

create table files (
  id            bigint generated always as identity primary key,
  mission       text        not null,
  name          text        not null,
  kind          text        not null,
  product       text        not null,
  -- the name without its version: all versions of one file share it
  stem          text        not null,
  spacecraft    text,
  instrument    text,
  mode          text,
  level         text,
  descriptor    text,
  data_type     text,
  start_time    timestamptz not null,
  end_time      timestamptz not null,
  version       int[]       not null,
  version_label text        not null,
  size          bigint      not null check (size >= 0),
  sha256        char(64)    not null,
  store_key     text        not null,
  tier          text        not null default 'production' check (tier in ('production', 'staging')),
  -- 'drop', 'upload' or 'job'
  source        text        not null,
  job_id        bigint,
  ingested_at   timestamptz not null default now(),
  -- CDF global attributes and time range, when the file is a CDF
  metadata      jsonb       not null default '{}',
  unique (mission, tier, name)
);
create index files_product_time on files (mission, product, start_time);
create index files_stem_version on files (mission, stem, version desc);
create index files_instrument_time on files (mission, instrument, level, start_time);

-- Events committed with the rows they announce; the relay publishes them, then deletes them.
create table outbox (
  id          bigint generated always as identity primary key,
  message_id  uuid        not null unique,
  type        text        not null,
  routing_key text        not null,
  body        jsonb       not null,
  priority    smallint    not null default 0,
  created_at  timestamptz not null default now()
);

create table quarantine (
  id          bigint generated always as identity primary key,
  mission     text        not null,
  name        text        not null,
  -- machine-readable reason: invalid-file-name, checksum-mismatch, conflicting-duplicate...
  reason_code text        not null,
  reason      text        not null,
  size        bigint,
  sha256      char(64),
  -- where the rejected bytes were kept (a path in the quarantine folder)
  location    text,
  source      text        not null,
  received_at timestamptz not null default now()
);
create index quarantine_name on quarantine (mission, name);

create table jobs (
  id                bigint generated always as identity primary key,
  mission           text        not null,
  rule              text        not null,
  processor         text        not null,
  processor_version text        not null,
  tier              text        not null check (tier in ('production', 'staging')),
  -- the trigger's group (e.g. spacecraft and mode) and day
  group_key         text        not null,
  window_start      timestamptz not null,
  window_end        timestamptz not null,
  -- sha256 of the exact inputs (names and checksums): a job's identity with processor and tier
  inputs_hash       char(64)    not null,
  inputs            jsonb       not null,
  state             text        not null check (state in ('queued', 'running', 'succeeded', 'failed', 'retrying', 'dead')),
  attempts          int         not null default 0,
  exit_code         int,
  host              text,
  error             text,
  log               text,
  created_at        timestamptz not null default now(),
  started_at        timestamptz,
  finished_at       timestamptz
);
-- The catalog, not the code, refuses a second live or successful job with the same identity.
create unique index jobs_identity on jobs (processor, processor_version, tier, inputs_hash)
  where state in ('queued', 'running', 'retrying', 'succeeded');
create index jobs_state on jobs (state, created_at);

create table job_inputs (
  job_id  bigint not null references jobs (id),
  file_id bigint not null references files (id),
  primary key (job_id, file_id)
);

alter table files add foreign key (job_id) references jobs (id);

-- Messages a consumer has fully handled, so a redelivery is a no-op.
create table handled_messages (
  consumer   text        not null,
  message_id uuid        not null,
  handled_at timestamptz not null default now(),
  primary key (consumer, message_id)
);
