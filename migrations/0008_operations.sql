-- Operations: the alerts the operations monitor raised, so that operators hear of each once
-- (and again only after `operations.repeatAfterMs` while it lasts), across restarts and even
-- if two schedulers ran by mistake.
create table operator_alerts (
  -- what the alert is about, e.g. 'queue-backlog:sdc.m.jobs.production' or 'disk:/srv/sdc'
  key           text        primary key,
  kind          text        not null check (kind in ('dead-jobs', 'queue-backlog', 'backup-lag', 'integrity', 'disk')),
  subject       text        not null,
  detail        text        not null,
  first_seen_at timestamptz not null default now(),
  last_seen_at  timestamptz not null default now(),
  last_sent_at  timestamptz,
  -- set when a monitor run no longer sees it; a later recurrence is a new alert
  resolved_at   timestamptz,
  occurrences   int         not null default 1
);
create index operator_alerts_open on operator_alerts (resolved_at, kind);
