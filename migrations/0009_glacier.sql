-- Glacier vault targets and the backup of what is not a catalogued file (processor bundles,
-- mission configuration).

-- Every archive uploaded to a Glacier vault target: AWS keeps no names, only archive ids, and
-- says to keep one's own catalog. Recorded as soon as the upload completes, before the copy is
-- recorded in archive_copies, so an upload a crash left unrecorded is found and reused.
create table glacier_archives (
  target      text        not null,
  archive_id  text        not null,
  -- what the archive holds: a store key, a manifest or a system item key
  key         text        not null,
  size        bigint      not null,
  sha256      char(64)    not null,
  -- the SHA-256 tree hash Glacier computed and we checked
  tree_hash   char(64)    not null,
  uploaded_at timestamptz not null default now(),
  primary key (target, archive_id)
);
create index glacier_archives_key on glacier_archives (target, key);

-- Retrieval jobs (they take hours and cannot be cancelled): archive retrievals for restores,
-- inventory retrievals for reconciliation.
create table glacier_jobs (
  target         text        not null,
  job_id         text        not null,
  action         text        not null check (action in ('archive-retrieval', 'inventory-retrieval')),
  archive_id     text,
  tier           text,
  state          text        not null check (state in ('in-progress', 'succeeded', 'failed')),
  status_message text,
  requested_at   timestamptz not null default now(),
  completed_at   timestamptz,
  primary key (target, job_id)
);
create index glacier_jobs_archive on glacier_jobs (target, archive_id);

-- The newest inventory retrieved from each vault target (Glacier updates it about once a day).
create table glacier_inventories (
  target         text        primary key,
  job_id         text        not null,
  inventory_date timestamptz not null,
  retrieved_at   timestamptz not null default now()
);

create table glacier_inventory_entries (
  target      text        not null,
  archive_id  text        not null,
  size        bigint      not null,
  tree_hash   char(64)    not null,
  description text,
  created_at  timestamptz not null,
  primary key (target, archive_id)
);

-- What must be in cold storage besides catalogued files: the files of every deployed processor
-- bundle and the mission's configuration files, one row per content at a path (a key never
-- changes meaning: it carries the bundle version and hash, or the content hash).
create table archive_system_items (
  id            bigint generated always as identity primary key,
  mission       text        not null,
  kind          text        not null check (kind in ('processor-bundle', 'mission-config')),
  -- `name@version` of a bundle; the mission id for its configuration
  owner         text        not null,
  -- the path inside the bundle or the mission folder
  path          text        not null,
  key           text        not null unique,
  size          bigint      not null,
  sha256        char(64)    not null,
  -- the deployed bundle's identity (processor_deployments.bundle_sha256)
  bundle_sha256 char(64),
  recorded_at   timestamptz not null default now()
);

create table archive_system_copies (
  item_id       bigint      not null references archive_system_items (id),
  target        text        not null,
  location      text        not null,
  size          bigint      not null,
  sha256        char(64)    not null,
  storage_class text,
  run_id        bigint,
  backed_up_at  timestamptz not null default now(),
  primary key (item_id, target)
);
