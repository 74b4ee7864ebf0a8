-- API search: the longest span of any file of a mission, read from an index in O(log n), gives
-- overlap searches ("files overlapping [from, to]") a lower bound on start_time, so they scan
-- only the files that can overlap instead of everything that started before `to`.
create index files_span on files (mission, (end_time - start_time));

-- The legacy file services select by spacecraft, instrument, mode and level (sc_id,
-- instrument_id, data_rate_mode, data_level) over a time span: one index range per spacecraft
-- instead of every spacecraft's and mode's files of the instrument and level.
create index files_compat on files (mission, instrument, spacecraft, mode, level, start_time);
