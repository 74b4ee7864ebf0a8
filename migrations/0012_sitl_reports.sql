-- SITL deadlines, the "automated selections ready" notification, and the segment state history
-- the per-window reports count held/overwritten/transmitted buffers from (see docs/sitl.md).

-- When the window's selections are due (evaluation time + the mission's sitl.deadline), and when
-- the on-duty SITL was told its automated selections are ready (recorded, so it is sent once).
alter table sitl_windows add column closes_at timestamptz;
alter table sitl_windows add column abs_notified_at timestamptz;

-- Every state a segment was given: by the segment table, the status feed or a SITL submission.
create table sitl_segment_history (
  id          bigint generated always as identity primary key,
  mission     text        not null,
  segment_id  bigint      not null,
  status      text        not null,
  is_pending  boolean,
  in_playlist boolean,
  recorded_at timestamptz not null default now()
);
create index sitl_segment_history_segment on sitl_segment_history (mission, segment_id, id);
