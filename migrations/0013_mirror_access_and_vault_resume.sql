-- Mirror feed access: the public feed of released files (its own cursor, in release order), the
-- `mirror` role that reads the team feed, the feed each registered mirror follows; and the
-- Glacier vault multipart uploads in progress, so a killed upload resumes instead of restarting.

alter table api_user_roles drop constraint api_user_roles_role_check;
alter table api_user_roles add constraint api_user_roles_role_check
  check (role in ('team-member', 'instrument-admin', 'sitl', 'super-sitl', 'operator', 'mirror'));

-- The change feed of released files, in release order: `added` when a file becomes public,
-- `superseded` for the older public versions of its stem (once per release of each), `withdrawn`
-- when a release is withdrawn or a public file deleted. Rows are self-contained, as in file_changes.
create table public_file_changes (
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
create index public_file_changes_file on public_file_changes (file_id);

create function record_public_file_change() returns trigger language plpgsql as $$
begin
  if tg_op = 'DELETE' then
    if old.released_at is not null then
      insert into public_file_changes (change, file_id, mission, name, store_key, size, sha256, version_label)
      values ('withdrawn', old.id, old.mission, old.name, old.store_key, old.size, old.sha256, old.version_label);
    end if;
    return old;
  end if;
  if old.released_at is not null and new.released_at is null then
    insert into public_file_changes (change, file_id, mission, name, store_key, size, sha256, version_label)
    values ('withdrawn', new.id, new.mission, new.name, new.store_key, new.size, new.sha256, new.version_label);
    return new;
  end if;
  if old.released_at is not null or new.released_at is null then
    return new;
  end if;
  -- the public versions this release makes old, once each since their own last release
  insert into public_file_changes (change, file_id, mission, name, store_key, size, sha256, version_label)
  select 'superseded', f.id, f.mission, f.name, f.store_key, f.size, f.sha256, f.version_label
  from files f
  where f.mission = new.mission and f.tier = new.tier and f.stem = new.stem and f.version < new.version
    and f.released_at is not null
    and not exists (
      select 1 from public_file_changes c
      where c.file_id = f.id and c.change = 'superseded'
        and c.cursor > (select coalesce(max(a.cursor), 0) from public_file_changes a where a.file_id = f.id and a.change = 'added'))
  order by f.id;
  insert into public_file_changes (change, file_id, mission, name, store_key, size, sha256, version_label)
  values ('added', new.id, new.mission, new.name, new.store_key, new.size, new.sha256, new.version_label);
  return new;
end $$;

create trigger files_record_public_change after update of released_at or delete on files
  for each row execute function record_public_file_change();

insert into public_file_changes (change, file_id, mission, name, store_key, size, sha256, version_label)
select 'added', id, mission, name, store_key, size, sha256, version_label
from files where released_at is not null order by released_at, id;

-- Which feed a registered mirror follows, and the account that registered it (its cursor moves
-- only with that account's credentials, or an operator's).
alter table mirrors add column feed text not null default 'team' check (feed in ('team', 'public'));
alter table mirrors add column account text;

-- A Glacier vault multipart upload in progress, with the parts Glacier confirmed (their tree
-- hashes): a run killed mid-upload resumes it and sends only the missing parts.
create table glacier_uploads (
  target     text        not null,
  upload_id  text        not null,
  key        text        not null,
  size       bigint      not null,
  sha256     char(64)    not null,
  part_size  bigint      not null,
  started_at timestamptz not null default now(),
  primary key (target, upload_id)
);
create index glacier_uploads_key on glacier_uploads (target, key, sha256);

create table glacier_upload_parts (
  target      text     not null,
  upload_id   text     not null,
  range_start bigint   not null,
  size        bigint   not null,
  tree_hash   char(64) not null,
  primary key (target, upload_id, range_start),
  foreign key (target, upload_id) references glacier_uploads (target, upload_id) on delete cascade
);
