-- The lineage queries (src/provenance/lineage-query.ts) walk provenance_derivations up through
-- the primary key and down through the second index, then read each reached file's edges with
-- their job. With the job id carried in both indexes, every step of both queries is an
-- index-only scan: the table's heap (as large again as one index) is never read, so a query on
-- a catalog of millions of files touches a few hundred index pages and nothing else.
alter table provenance_derivations drop constraint provenance_derivations_pkey;
alter table provenance_derivations add constraint provenance_derivations_pkey primary key (file_id, used_file_id) include (job_id);
drop index provenance_derivations_used;
create index provenance_derivations_used on provenance_derivations (used_file_id, file_id) include (job_id);
