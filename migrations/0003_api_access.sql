-- API access: team accounts, their roles and tokens; the public release of files (approvals,
-- the audit trail of every release decision) and named release snapshots.

-- When a file became public; null = team only. Set by the release job, cleared by a withdrawal.
alter table files add column released_at timestamptz;
create index files_released on files (mission, product, start_time) where released_at is not null;

create table api_users (
  id            bigint generated always as identity primary key,
  name          text        not null unique,
  -- scrypt$N$r$p$salt$hash (base64); null = no password (token or OIDC only)
  password_hash text,
  created_at    timestamptz not null default now(),
  disabled_at   timestamptz
);

-- A role of a user in a mission, for one instrument or every instrument ('*').
create table api_user_roles (
  user_id    bigint not null references api_users (id) on delete cascade,
  mission    text   not null,
  instrument text   not null,
  role       text   not null check (role in ('team-member', 'instrument-admin', 'sitl', 'super-sitl', 'operator')),
  primary key (user_id, mission, instrument, role)
);

-- API tokens: only the sha256 of the secret is kept; a revoked token is refused at once.
create table api_tokens (
  id           bigint generated always as identity primary key,
  user_id      bigint      not null references api_users (id) on delete cascade,
  token_sha256 char(64)    not null unique,
  label        text        not null,
  created_at   timestamptz not null default now(),
  expires_at   timestamptz,
  revoked_at   timestamptz,
  last_used_at timestamptz
);

-- A team's approval of one version of one product for public release; withdrawn = revoked.
create table release_approvals (
  id            bigint generated always as identity primary key,
  mission       text        not null,
  product       text        not null,
  version_label text        not null,
  approved_by   text        not null,
  approved_at   timestamptz not null default now(),
  withdrawn_by  text,
  withdrawn_at  timestamptz,
  withdraw_reason text
);
create unique index release_approvals_live on release_approvals (mission, product, version_label) where withdrawn_at is null;

-- Every release decision: approvals, withdrawals, the files each scheduled run made public.
create table release_audit (
  id         bigint generated always as identity primary key,
  mission    text        not null,
  action     text        not null check (action in ('approve', 'withdraw', 'release', 'snapshot')),
  actor      text        not null,
  product    text,
  version_label text,
  files      int         not null default 0,
  detail     text,
  at         timestamptz not null default now()
);
create index release_audit_at on release_audit (mission, at);

-- A named release pins one version of each file it holds.
create table release_snapshots (
  id          bigint generated always as identity primary key,
  mission     text        not null,
  name        text        not null,
  description text        not null default '',
  created_by  text        not null,
  created_at  timestamptz not null default now(),
  unique (mission, name)
);

create table release_snapshot_files (
  snapshot_id bigint not null references release_snapshots (id) on delete cascade,
  file_id     bigint not null references files (id),
  stem        text   not null,
  primary key (snapshot_id, file_id),
  unique (snapshot_id, stem)
);
