-- The files of one tier overlapping a time window, whatever their product: what a job's claim
-- reads to choose its outputs' next versions, and what the trigger's input searches fall back
-- on. Without it those searches read every file of the mission and tier (the unique name index)
-- and filter them by time: a cost that grows with the catalog, paid on every job.
create index files_tier_time on files (mission, tier, start_time);
