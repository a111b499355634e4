#include "clearcut/store/sqlite/sqlite_migrations.h"

namespace clearcut::store::sqlite {
namespace {

// STRICT tables make SQLite check column types as PostgreSQL does. Booleans are 0/1 integers;
// times are RFC 3339 UTC text from the service's clock; NULL stands for the domain's 0 or ""
// in optional references and times. Ids are rowids, never reused while the row exists.
constexpr std::string_view kSchema1 = R"sql(
CREATE TABLE organizations (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  created_at TEXT NOT NULL
) STRICT;

CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  organization_id INTEGER NOT NULL REFERENCES organizations (id),
  email TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  admin INTEGER NOT NULL CHECK (admin IN (0, 1)),
  disabled INTEGER NOT NULL CHECK (disabled IN (0, 1)),
  created_at TEXT NOT NULL
) STRICT;
CREATE INDEX users_organization_id ON users (organization_id);

CREATE TABLE productions (
  id INTEGER PRIMARY KEY,
  organization_id INTEGER NOT NULL REFERENCES organizations (id),
  code TEXT NOT NULL UNIQUE,
  title TEXT NOT NULL,
  created_at TEXT NOT NULL
) STRICT;
CREATE INDEX productions_organization_id ON productions (organization_id);

CREATE TABLE memberships (
  user_id INTEGER NOT NULL REFERENCES users (id),
  production_id INTEGER NOT NULL REFERENCES productions (id),
  role TEXT NOT NULL CHECK (role IN ('partner', 'contact', 'legal')),
  PRIMARY KEY (user_id, production_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX memberships_production_id ON memberships (production_id, user_id);

CREATE TABLE tools (
  id TEXT NOT NULL PRIMARY KEY,
  name TEXT NOT NULL,
  vendor TEXT NOT NULL,
  license_tier TEXT NOT NULL,
  reviewed_on TEXT NOT NULL,
  scalars TEXT NOT NULL
) STRICT, WITHOUT ROWID;

CREATE TABLE policy_packs (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  version TEXT NOT NULL,
  digest TEXT NOT NULL,
  text TEXT NOT NULL,
  active INTEGER NOT NULL CHECK (active IN (0, 1)),
  loaded_by INTEGER REFERENCES users (id),
  loaded_at TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX policy_packs_one_active ON policy_packs (active) WHERE active = 1;

CREATE TABLE use_cases (
  id INTEGER PRIMARY KEY,
  production_id INTEGER NOT NULL REFERENCES productions (id),
  created_by INTEGER NOT NULL REFERENCES users (id),
  summary TEXT NOT NULL,
  declaration_json TEXT NOT NULL,
  declaration_digest TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('draft', 'submitted', 'notified', 'escalated',
                                       'approved', 'rejected', 'withdrawn')),
  outcome TEXT NOT NULL,
  decision_json TEXT NOT NULL,
  policy_digest TEXT NOT NULL,
  engine_version TEXT NOT NULL,
  revision INTEGER NOT NULL CHECK (revision >= 1),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  UNIQUE (id, production_id)
) STRICT;
CREATE INDEX use_cases_production_id ON use_cases (production_id, id);
CREATE INDEX use_cases_state ON use_cases (state, id);

CREATE TABLE use_case_events (
  id INTEGER PRIMARY KEY,
  use_case_id INTEGER NOT NULL REFERENCES use_cases (id),
  actor_id INTEGER REFERENCES users (id),
  kind TEXT NOT NULL,
  from_state TEXT NOT NULL,
  to_state TEXT NOT NULL,
  note TEXT NOT NULL,
  at TEXT NOT NULL
) STRICT;
CREATE INDEX use_case_events_use_case_id ON use_case_events (use_case_id, id);

CREATE TABLE comments (
  id INTEGER PRIMARY KEY,
  use_case_id INTEGER NOT NULL REFERENCES use_cases (id),
  author_id INTEGER NOT NULL REFERENCES users (id),
  body TEXT NOT NULL,
  created_at TEXT NOT NULL
) STRICT;
CREATE INDEX comments_use_case_id ON comments (use_case_id, id);

CREATE TABLE consents (
  id INTEGER PRIMARY KEY,
  production_id INTEGER NOT NULL REFERENCES productions (id),
  use_case_id INTEGER,
  performer TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('replica_creation', 'replica_use', 'alteration')),
  scope TEXT NOT NULL,
  document_sha256 TEXT NOT NULL,
  expires_at TEXT,
  revoked_at TEXT,
  recorded_by INTEGER NOT NULL REFERENCES users (id),
  created_at TEXT NOT NULL,
  FOREIGN KEY (use_case_id, production_id) REFERENCES use_cases (id, production_id)
) STRICT;
CREATE INDEX consents_production_id ON consents (production_id, id);
CREATE INDEX consents_use_case_id ON consents (use_case_id, production_id);

CREATE TABLE approvals (
  id INTEGER PRIMARY KEY,
  use_case_id INTEGER NOT NULL REFERENCES use_cases (id),
  approver_id INTEGER NOT NULL REFERENCES users (id),
  granted INTEGER NOT NULL CHECK (granted IN (0, 1)),
  declaration_digest TEXT NOT NULL,
  conditions TEXT NOT NULL,
  scope_json TEXT NOT NULL,
  expires_at TEXT,
  outdated INTEGER NOT NULL CHECK (outdated IN (0, 1)),
  created_at TEXT NOT NULL
) STRICT;
CREATE INDEX approvals_use_case_id ON approvals (use_case_id, id);

CREATE TABLE assets (
  id INTEGER PRIMARY KEY,
  production_id INTEGER NOT NULL REFERENCES productions (id),
  use_case_id INTEGER NOT NULL,
  file_name TEXT NOT NULL,
  media_type TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  pdq TEXT NOT NULL,
  pdq_quality INTEGER NOT NULL CHECK (pdq_quality >= 0),
  width INTEGER NOT NULL CHECK (width >= 0),
  height INTEGER NOT NULL CHECK (height >= 0),
  duration_ms INTEGER NOT NULL CHECK (duration_ms >= 0),
  manifest_id TEXT NOT NULL,
  -- The unsigned 64-bit payload, stored as the signed integer with the same bits.
  watermark_payload INTEGER NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('provisional', 'cleared', 'rejected')),
  created_by INTEGER NOT NULL REFERENCES users (id),
  created_at TEXT NOT NULL,
  FOREIGN KEY (use_case_id, production_id) REFERENCES use_cases (id, production_id)
) STRICT;
CREATE INDEX assets_production_id ON assets (production_id, id);
CREATE INDEX assets_use_case_id ON assets (use_case_id, production_id);

CREATE TABLE api_tokens (
  id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users (id),
  name TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL,
  last_used_at TEXT,
  revoked INTEGER NOT NULL CHECK (revoked IN (0, 1))
) STRICT;
CREATE INDEX api_tokens_user_id ON api_tokens (user_id, id);

CREATE TABLE sessions (
  id_hash TEXT NOT NULL PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users (id),
  csrf_token TEXT NOT NULL,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX sessions_user_id ON sessions (user_id);

-- The audit log (RFC 9162 leaves): sequence is the leaf index, dense from 0, assigned as the
-- current size while the writer holds the database's write lock (BEGIN IMMEDIATE).
CREATE TABLE audit_events (
  sequence INTEGER PRIMARY KEY CHECK (sequence >= 0),
  time TEXT NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  subject_type TEXT NOT NULL,
  subject_id TEXT NOT NULL,
  payload_json TEXT NOT NULL,
  leaf_hash TEXT NOT NULL
) STRICT;
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN
  SELECT RAISE(ABORT, 'the audit log is append-only');
END;
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN
  SELECT RAISE(ABORT, 'the audit log is append-only');
END;

CREATE TABLE checkpoints (
  tree_size INTEGER PRIMARY KEY CHECK (tree_size >= 0),
  note TEXT NOT NULL,
  created_at TEXT NOT NULL
) STRICT;
)sql";

// Asset thumbnails; delivery scans submitted through the API, claimed by scan workers
// (SQLite: one writer at a time).
constexpr std::string_view kSchema2 = R"sql(
ALTER TABLE assets ADD COLUMN thumbnail TEXT NOT NULL DEFAULT '';

CREATE TABLE scan_jobs (
  id INTEGER PRIMARY KEY,
  production_id INTEGER NOT NULL REFERENCES productions (id),
  paths_json TEXT NOT NULL,
  stride INTEGER NOT NULL CHECK (stride >= 1),
  radius INTEGER NOT NULL CHECK (radius >= 0),
  state TEXT NOT NULL CHECK (state IN ('queued', 'running', 'finished', 'error')),
  submitted_by INTEGER NOT NULL REFERENCES users (id),
  submitted_at TEXT NOT NULL,
  worker TEXT NOT NULL DEFAULT '',
  attempts INTEGER NOT NULL DEFAULT 0,
  started_at TEXT NOT NULL DEFAULT '',
  heartbeat_at TEXT NOT NULL DEFAULT '',
  finished_at TEXT NOT NULL DEFAULT '',
  files_done INTEGER NOT NULL DEFAULT 0,
  files_total INTEGER NOT NULL DEFAULT 0,
  passes INTEGER NOT NULL DEFAULT 0 CHECK (passes IN (0, 1)),
  summary_json TEXT NOT NULL DEFAULT '',
  error TEXT NOT NULL DEFAULT '',
  report_json TEXT NOT NULL DEFAULT '',
  report_html TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX scan_jobs_production_id ON scan_jobs (production_id, id);
CREATE INDEX scan_jobs_claimable ON scan_jobs (state, id) WHERE state IN ('queued', 'running');
)sql";

// Videos' frame hashes: space-separated 64-digit hex PDQ codes.
constexpr std::string_view kSchema3 = R"sql(
ALTER TABLE assets ADD COLUMN frame_pdq TEXT NOT NULL DEFAULT '';
)sql";

// Scans' matches to other productions' assets, for those productions' legal and the admins
// (the scanning production's report does not name them).
constexpr std::string_view kSchema4 = R"sql(
CREATE TABLE scan_cross_production_matches (
  id INTEGER PRIMARY KEY,
  scan_job_id INTEGER NOT NULL REFERENCES scan_jobs (id),
  scanning_production_id INTEGER NOT NULL REFERENCES productions (id),
  production_id INTEGER NOT NULL REFERENCES productions (id),
  asset_id INTEGER NOT NULL REFERENCES assets (id),
  found_at TEXT NOT NULL,
  finding_json TEXT NOT NULL
) STRICT;
CREATE INDEX scan_cross_production_matches_production_id
  ON scan_cross_production_matches (production_id, id);
)sql";

constexpr sql::Migration kMigrations[] = {
    {1, kSchema1},
    {2, kSchema2},
    {3, kSchema3},
    {4, kSchema4},
};

}  // namespace

std::span<const sql::Migration> sqlite_migrations() {
  return kMigrations;
}

}  // namespace clearcut::store::sqlite
