-- SITL: burst metadata, the burst data segment table, selection windows (automated selections),
-- SITL submissions and the files relayed to the operations centre (see docs/sitl.md).
-- Times of the segment table are integer TAI seconds since 1958-01-01, as the feeds carry them.

-- Per-cycle burst metadata of one spacecraft (trigger data quality).
create table sitl_burst_metadata (
  mission         text     not null,
  spacecraft      text     not null,
  tai             bigint   not null,
  data_segment_id bigint,
  cdq             smallint not null,
  mdq             smallint not null,
  primary key (mission, spacecraft, tai)
);

-- The burst data segment table: one row per segment, from the operations centre's table and
-- status feed, and from accepted SITL selections (ids the SDC assigns, see sitl_segment_ids).
create table sitl_segments (
  mission          text        not null,
  id               bigint      not null,
  tai_start        bigint      not null,
  -- start of the last buffer: the data end one cycle later
  tai_end          bigint      not null,
  parameter_set_id text        not null default '',
  fom              real        not null,
  is_pending       boolean     not null default true,
  in_playlist      boolean     not null default false,
  status           text        not null default 'NEW',
  num_eval_cycles  int         not null default 0,
  source_id        text        not null default '',
  create_time      timestamptz,
  finish_time      timestamptz,
  -- per-observatory buffer counts (numbufs, allocbufs, remfiles), one entry per spacecraft
  num_bufs         int[]       not null default '{}',
  alloc_bufs       int[]       not null default '{}',
  rem_files        int[]       not null default '{}',
  discussion       text        not null default '',
  updated_at       timestamptz not null default now(),
  primary key (mission, id),
  check (tai_start <= tai_end)
);
create index sitl_segments_time on sitl_segments (mission, tai_start, tai_end);

-- One evaluation of the metadata: the window the automated selection covers, its selections,
-- and whether the SITL closed it with the final uplink (irrevocable).
create table sitl_windows (
  id                 bigint generated always as identity primary key,
  mission            text        not null,
  cycle_start        bigint      not null,
  num_cycles         int         not null,
  evaluated_at       timestamptz not null,
  source_file        text        not null,
  abs_file           text        not null unique,
  -- { segments: [{start, stop, fom, sourceId, discussion}], mdq: [...], parameters: {...} }
  selections         jsonb       not null,
  uplinked_at        timestamptz,
  uplinked_by        text,
  close_tai          bigint
);
create index sitl_windows_start on sitl_windows (mission, cycle_start);

-- Every SITL submission that was accepted (drafts, the uplink, back-structure edits).
create table sitl_submissions (
  id           bigint generated always as identity primary key,
  mission      text        not null,
  window_id    bigint references sitl_windows (id),
  kind         text        not null check (kind in ('draft', 'uplink', 'back-structure')),
  submitted_by text        not null,
  submitted_at timestamptz not null default now(),
  -- the submission as accepted, and the warnings the submitter confirmed or overrode
  body         jsonb       not null,
  warnings     jsonb       not null,
  digest       char(64)    not null
);
create index sitl_submissions_window on sitl_submissions (window_id, id);

-- Files the SDC owes someone: the operations centre's copy of a submission (written once into
-- the outgoing folder) or a published file (automated or SITL selections, catalogued by ingest).
-- Rows are written in the transaction of what they carry, and marked delivered afterwards.
create table sitl_deliveries (
  id            bigint generated always as identity primary key,
  mission       text        not null,
  target        text        not null check (target in ('poc', 'publish')),
  name          text        not null,
  content       text        not null,
  submission_id bigint references sitl_submissions (id),
  window_id     bigint references sitl_windows (id),
  created_at    timestamptz not null default now(),
  delivered_at  timestamptz,
  unique (mission, target, name)
);
create index sitl_deliveries_pending on sitl_deliveries (id) where delivered_at is null;
