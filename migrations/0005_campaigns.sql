-- Reprocessing campaigns, generalised: a campaign holds job scopes of any rules (a date range of
-- one product, or an explicit list such as the descendants of a file), runs a pinned processor
-- version or each rule's production version, and keeps its rate limiter's state in the catalog
-- so that the pump resumes where it stopped after a restart.

alter table campaigns alter column rule drop not null;
alter table campaigns alter column processor drop not null;
alter table campaigns alter column processor_version drop not null;
alter table campaigns alter column tier drop not null;
-- the pinned deployment (null: each rule's active production version when its job is queued)
alter table campaigns add column deployment_id bigint references processor_deployments (id);
-- what was asked, as given (instrument, level, range, source file...), for status displays
alter table campaigns add column selection jsonb not null default '{}';
-- token bucket: jobs that may be queued now, and when it was last filled
alter table campaigns add column allowance real not null default 1;
alter table campaigns add column pumped_at timestamptz;
alter table campaigns add column finished_at timestamptz;
create index campaigns_active on campaigns (mission) where state in ('running', 'paused');

alter table campaign_items add column rule text;
update campaign_items i set rule = c.rule from campaigns c where c.id = i.campaign_id;
alter table campaign_items alter column rule set not null;
alter table campaign_items drop constraint campaign_items_pkey;
alter table campaign_items add primary key (campaign_id, rule, group_key, window_start);
alter table campaign_items add column queued_at timestamptz;
create index campaign_items_job on campaign_items (job_id) where job_id is not null;

create index jobs_campaign on jobs (campaign_id) where campaign_id is not null;
