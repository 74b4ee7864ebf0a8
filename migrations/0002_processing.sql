-- Processing: processor deployments per tier, debounced triggers, reprocessing campaigns.

create table processor_deployments (
  id            bigint generated always as identity primary key,
  mission       text        not null,
  name          text        not null,
  version       text        not null,
  tier          text        not null check (tier in ('staging', 'production')),
  -- the immutable copy of the bundle that runs, and the sha256 of its files
  bundle_path   text        not null,
  bundle_sha256 char(64)    not null,
  manifest      jsonb       not null,
  active        boolean     not null default true,
  deployed_at   timestamptz not null default now(),
  deployed_by   text        not null,
  retired_at    timestamptz
);
-- One active version per processor and tier; one row per version and tier.
create unique index processor_deployments_active on processor_deployments (mission, name, tier) where active;
create unique index processor_deployments_version on processor_deployments (mission, name, version, tier);

-- A (rule, group, day) that arrivals touched: evaluated once `due_at` has passed, so that a
-- burst of arrivals for one day yields one job; kept with `missing` while inputs are absent.
create table job_triggers (
  mission      text        not null,
  rule         text        not null,
  group_key    text        not null,
  group_values jsonb       not null,
  window_start timestamptz not null,
  due_at       timestamptz,
  missing      text,
  updated_at   timestamptz not null default now(),
  primary key (mission, rule, group_key, window_start)
);
create index job_triggers_due on job_triggers (due_at) where due_at is not null;

create table campaigns (
  id          bigint generated always as identity primary key,
  mission     text        not null,
  description text        not null,
  rule        text        not null,
  processor   text        not null,
  processor_version text  not null,
  tier        text        not null check (tier in ('staging', 'production')),
  -- jobs queued per second at most
  rate        real        not null check (rate > 0),
  state       text        not null check (state in ('running', 'paused', 'cancelled', 'done')),
  created_by  text        not null,
  created_at  timestamptz not null default now()
);

create table campaign_items (
  campaign_id  bigint      not null references campaigns (id),
  group_key    text        not null,
  group_values jsonb       not null,
  window_start timestamptz not null,
  state        text        not null check (state in ('pending', 'queued', 'skipped', 'cancelled')),
  job_id       bigint      references jobs (id),
  note         text,
  primary key (campaign_id, group_key, window_start)
);
create index campaign_items_pending on campaign_items (campaign_id) where state = 'pending';

alter table jobs add column priority smallint not null default 5;
alter table jobs add column campaign_id bigint references campaigns (id);
alter table jobs add column deployment_id bigint references processor_deployments (id);
