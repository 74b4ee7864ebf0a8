-- Provenance and traceability: what each successful job was (processor, bundle, configuration,
-- host, times, agents), which files each output was derived from (the graph the precursor and
-- descendant queries walk), the public keys of the SDC's trace-signing keys, and the traces of
-- every file's lifecycle events (ingest, generation, release, backup, withdrawal).

-- One row per successful job, written in the transaction that commits its outputs. A snapshot:
-- later changes to the deployment (a re-promotion by someone else) do not rewrite history.
create table provenance_activities (
  job_id            bigint      primary key references jobs (id),
  mission           text        not null,
  processor         text        not null,
  processor_version text        not null,
  bundle_sha256     char(64)    not null,
  -- container image of the processor, when it runs in one
  image             text,
  runtime           text        not null,
  -- the rule and the manifest's command and limits
  configuration     jsonb       not null,
  -- tier, group, window, attempt
  parameters        jsonb       not null,
  host              text,
  started_at        timestamptz,
  ended_at          timestamptz not null,
  exit_code         int,
  -- agents: the instrument (its team), who deployed the processor version, who triggered the job
  instrument        text        not null,
  deployed_by       text        not null,
  triggered_by      text        not null
);

-- `file_id` was derived from `used_file_id` by job `job_id`. Walked both ways by recursive CTEs:
-- up through the primary key, down through the second index.
create table provenance_derivations (
  file_id      bigint not null references files (id),
  used_file_id bigint not null references files (id),
  job_id       bigint not null references jobs (id),
  primary key (file_id, used_file_id)
);
create index provenance_derivations_used on provenance_derivations (used_file_id, file_id);

-- Jobs that succeeded before this migration: their derivations and what is known of them.
insert into provenance_derivations (file_id, used_file_id, job_id)
select f.id, i.file_id, f.job_id from files f join job_inputs i on i.job_id = f.job_id
on conflict do nothing;
insert into provenance_activities (job_id, mission, processor, processor_version, bundle_sha256, image, runtime, configuration, parameters, host, started_at, ended_at, exit_code, instrument, deployed_by, triggered_by)
select j.id, j.mission, j.processor, j.processor_version, d.bundle_sha256, d.manifest->>'image', 'unknown',
       jsonb_build_object('rule', jsonb_build_object('id', j.rule), 'command', d.manifest->'command', 'limits', d.manifest->'limits'),
       jsonb_build_object('tier', j.tier, 'groupKey', j.group_key, 'windowStart', j.window_start, 'windowEnd', j.window_end, 'attempt', j.attempts),
       j.host, j.started_at, coalesce(j.finished_at, j.created_at), j.exit_code, coalesce(d.manifest->>'instrument', 'unknown'), d.deployed_by,
       coalesce((select c.created_by from campaigns c where c.id = j.campaign_id), 'trigger')
from jobs j join processor_deployments d on d.id = j.deployment_id
where j.state = 'succeeded';

-- Public halves of the trace-signing keys (the private halves stay in the key file). A rotated
-- key is retired, never deleted: the traces it signed still verify.
create table provenance_keys (
  key_id     text        primary key,
  -- SPKI PEM
  public_key text        not null,
  created_at timestamptz not null default now(),
  retired_at timestamptz
);

-- A lifecycle event of one file. Rows are queued unsigned by the triggers below, in the
-- transaction of the event itself (so a crash never leaves an event without its trace), and
-- signed right after commit by the SDC's trace signer. Self-contained: the file row may go.
create table provenance_traces (
  id         bigint      generated always as identity primary key,
  file_id    bigint,
  file_name  text        not null,
  sha256     char(64)    not null,
  size       bigint      not null,
  event      text        not null check (event in ('ingest', 'generation', 'release', 'backup', 'withdrawal')),
  -- milliseconds, so that the signed time reads back exactly
  at         timestamptz not null default date_trunc('milliseconds', now()),
  service    text        not null,
  key_id     text        references provenance_keys (key_id),
  signature  text
);
create index provenance_traces_sha256 on provenance_traces (sha256);
create index provenance_traces_file on provenance_traces (file_id);
create index provenance_traces_unsigned on provenance_traces (id) where signature is null;

create function queue_file_trace() returns trigger language plpgsql as $$
begin
  if tg_op = 'INSERT' then
    insert into provenance_traces (file_id, file_name, sha256, size, event, service)
    values (new.id, new.name, new.sha256, new.size,
            case when new.job_id is null then 'ingest' else 'generation' end,
            case when new.job_id is null then 'ingest/' || new.source else 'processing/job-' || new.job_id end);
  elsif new.released_at is not null and old.released_at is null then
    insert into provenance_traces (file_id, file_name, sha256, size, event, service)
    values (new.id, new.name, new.sha256, new.size, 'release', 'release');
  end if;
  return new;
end $$;

create trigger files_trace after insert or update of released_at on files
  for each row execute function queue_file_trace();

-- A withdrawal concerns every file of the product version, released yet or not.
create function queue_withdrawal_traces() returns trigger language plpgsql as $$
begin
  if new.withdrawn_at is null or (tg_op = 'UPDATE' and old.withdrawn_at is not null) then
    return new;
  end if;
  insert into provenance_traces (file_id, file_name, sha256, size, event, service)
  select f.id, f.name, f.sha256, f.size, 'withdrawal', 'release/withdraw'
  from files f
  where f.mission = new.mission and f.product = new.product and f.version_label = new.version_label and f.tier = 'production'
  order by f.id;
  return new;
end $$;

create trigger release_approvals_trace after insert or update of withdrawn_at on release_approvals
  for each row execute function queue_withdrawal_traces();

create function queue_backup_trace() returns trigger language plpgsql as $$
begin
  insert into provenance_traces (file_id, file_name, sha256, size, event, service)
  select f.id, f.name, new.sha256, new.size, 'backup', 'backup/' || new.target
  from files f where f.id = new.file_id;
  return new;
end $$;

create trigger archive_copies_trace after insert on archive_copies
  for each row execute function queue_backup_trace();

-- Every file already catalogued gets its arrival trace, signed at the next start.
insert into provenance_traces (file_id, file_name, sha256, size, event, service, at)
select id, name, sha256, size, case when job_id is null then 'ingest' else 'generation' end,
       case when job_id is null then 'ingest/' || source else 'processing/job-' || job_id end,
       date_trunc('milliseconds', ingested_at)
from files order by id;

-- Files derived (directly or not) from an input found bad, marked when a reprocessing of that
-- input's descendants is asked: what the campaign is to replace, and the base of its report.
create table provenance_suspects (
  file_id     bigint      not null references files (id),
  campaign_id bigint      not null references campaigns (id),
  bad_file_id bigint      not null references files (id),
  marked_by   text        not null,
  marked_at   timestamptz not null default now(),
  primary key (file_id, campaign_id)
);
create index provenance_suspects_campaign on provenance_suspects (campaign_id);
