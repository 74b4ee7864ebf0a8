-- Archive: backup copies per (file, target), backup runs, restores of cold copies, audit runs and
-- findings, the change feed that mirrors follow and the mirrors' acknowledged cursors.

-- One verified copy of a file in a backup target.
create table archive_copies (
  file_id      bigint      not null references files (id),
  target       text        not null,
  -- where the copy is in the target: a key (folder, S3) or an archive id (Glacier vault)
  location     text        not null,
  size         bigint      not null,
  sha256       char(64)    not null,
  storage_class text,
  run_id       bigint,
  backed_up_at timestamptz not null default now(),
  verified_at  timestamptz not null default now(),
  primary key (file_id, target)
);
create index archive_copies_target on archive_copies (target, location);

-- A backup run; `heartbeat_at` moves with every recorded copy, so a run left 'running' by a
-- killed process is recognised and its manifest written by the next run.
create table archive_runs (
  id           bigint generated always as identity primary key,
  target       text        not null,
  state        text        not null check (state in ('running', 'done', 'failed', 'interrupted')),
  files        int         not null default 0,
  bytes        bigint      not null default 0,
  manifest_key text,
  error        text,
  started_at   timestamptz not null default now(),
  heartbeat_at timestamptz not null default now(),
  finished_at  timestamptz
);

-- A restore of a cold copy: requested, then ready (the target says so), then completed (the
-- bytes verified and put back into the hot store), or failed with the reason.
create table archive_restores (
  file_id      bigint      not null references files (id),
  target       text        not null,
  state        text        not null check (state in ('requested', 'completed', 'failed')),
  tier         text        not null,
  error        text,
  requested_at timestamptz not null default now(),
  completed_at timestamptz,
  primary key (file_id, target)
);

create table audit_runs (
  id          bigint generated always as identity primary key,
  -- 'hot' or a backup target's name
  location    text        not null,
  state       text        not null check (state in ('running', 'done', 'aborted', 'failed')),
  checked     int         not null default 0,
  problems    int         not null default 0,
  repaired    int         not null default 0,
  note        text,
  started_at  timestamptz not null default now(),
  finished_at timestamptz
);

create table audit_findings (
  id              bigint generated always as identity primary key,
  run_id          bigint      not null references audit_runs (id),
  location        text        not null,
  kind            text        not null check (kind in ('missing', 'dark', 'size-mismatch', 'checksum-mismatch')),
  file_id         bigint,
  key             text        not null,
  expected_size   bigint,
  actual_size     bigint,
  expected_sha256 char(64),
  actual_sha256   char(64),
  -- what repair did ('re-copied from <location>', 'moved aside to <path>') or why it did not
  repair          text,
  repaired        boolean     not null default false,
  found_at        timestamptz not null default now()
);
create index audit_findings_run on audit_findings (run_id);

-- Hot copies of superseded versions removed by retention (the backup copies remain).
alter table files add column hot_pruned_at timestamptz;

-- The change feed of production files, in ingestion order: `cursor` is what mirrors acknowledge.
-- Rows are self-contained (a withdrawn file's row is gone from `files`).
create table file_changes (
  cursor        bigint generated always as identity primary key,
  change        text        not null check (change in ('added', 'superseded', 'withdrawn')),
  file_id       bigint      not null,
  mission       text        not null,
  name          text        not null,
  store_key     text        not null,
  size          bigint      not null,
  sha256        char(64)    not null,
  version_label text        not null,
  changed_at    timestamptz not null default now()
);
create index file_changes_file on file_changes (file_id);

create function record_file_change() returns trigger language plpgsql as $$
begin
  if tg_op = 'DELETE' then
    if old.tier = 'production' then
      insert into file_changes (change, file_id, mission, name, store_key, size, sha256, version_label)
      values ('withdrawn', old.id, old.mission, old.name, old.store_key, old.size, old.sha256, old.version_label);
    end if;
    return old;
  end if;
  if new.tier <> 'production' then
    return new;
  end if;
  -- the versions this one makes old, once each (a late lower version supersedes nothing)
  insert into file_changes (change, file_id, mission, name, store_key, size, sha256, version_label)
  select 'superseded', f.id, f.mission, f.name, f.store_key, f.size, f.sha256, f.version_label
  from files f
  where f.mission = new.mission and f.tier = 'production' and f.stem = new.stem and f.version < new.version
    and not exists (select 1 from file_changes c where c.file_id = f.id and c.change = 'superseded')
  order by f.id;
  insert into file_changes (change, file_id, mission, name, store_key, size, sha256, version_label)
  values ('added', new.id, new.mission, new.name, new.store_key, new.size, new.sha256, new.version_label);
  return new;
end $$;

create trigger files_record_change after insert or delete on files
  for each row execute function record_file_change();

insert into file_changes (change, file_id, mission, name, store_key, size, sha256, version_label)
select 'added', id, mission, name, store_key, size, sha256, version_label from files where tier = 'production' order by id;

-- A mirror registered with this SDC and the last cursor it acknowledged having applied.
create table mirrors (
  name          text        primary key,
  cursor        bigint      not null default 0,
  registered_at timestamptz not null default now(),
  acknowledged_at timestamptz
);
