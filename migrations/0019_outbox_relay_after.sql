-- When the relay may take an outbox row. A transaction whose owner publishes its own events
-- right after its commit (the hot paths: ingest, job outcomes, the trigger's jobs) gives itself
-- a grace before the relay would; a row its owner did not publish (it crashed, the broker was
-- down) is the relay's once the grace has passed. Every other row is the relay's at once.
alter table outbox add column relay_after timestamptz not null default now();
