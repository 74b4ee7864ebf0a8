-- Mission events from the operations centre (sub-regions of interest, orbits, contacts...), as its
-- event feed carries them; served as the legacy events CSV and read by the uplink checks
-- (a window may not close within a sub-ROI). See docs/sitl.md.
create table sitl_events (
  mission     text        not null,
  -- the operations centre's event id: a later feed row with the same id replaces the event
  id          bigint      not null,
  event_type  text        not null,
  -- lower case; '' for an event of no one spacecraft
  spacecraft  text        not null default '',
  source      text        not null default '',
  start_time  timestamptz not null,
  end_time    timestamptz not null,
  description text        not null default '',
  discussion  text        not null default '',
  start_orbit int,
  end_orbit   int,
  tag         text        not null default '',
  updated_at  timestamptz not null default now(),
  primary key (mission, id),
  check (start_time <= end_time)
);
create index sitl_events_time on sitl_events (mission, event_type, start_time);
