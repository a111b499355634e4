#include "clearcut/store/sql/schema.h"

#include "clearcut/base/result.h"

namespace clearcut::store::sql {
namespace {

// The tables of both backends (render_schema's words stand where they differ). Times are
// RFC 3339 UTC text from the service's clock, never the database's; NULL stands for the
// domain's 0 or "" in optional references and times. SQLite's tables are STRICT, so that it
// checks column types as PostgreSQL does, and its booleans 0/1 integers. PostgreSQL's tables
// land in the first schema of the search_path.
constexpr std::string_view kSchema1 = R"sql(
CREATE TABLE organizations (
  id $ID,
  name TEXT NOT NULL,
  created_at TEXT NOT NULL
)$STRICT;

CREATE TABLE users (
  id $ID,
  organization_id $BIGINT NOT NULL REFERENCES organizations (id),
  email TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  $BOOL(admin),
  $BOOL(disabled),
  created_at TEXT NOT NULL
)$STRICT;
CREATE INDEX users_organization_id ON users (organization_id);

CREATE TABLE productions (
  id $ID,
  organization_id $BIGINT NOT NULL REFERENCES organizations (id),
  code TEXT NOT NULL UNIQUE,
  title TEXT NOT NULL,
  created_at TEXT NOT NULL
)$STRICT;
CREATE INDEX productions_organization_id ON productions (organization_id);

CREATE TABLE memberships (
  user_id $BIGINT NOT NULL REFERENCES users (id),
  production_id $BIGINT NOT NULL REFERENCES productions (id),
  role TEXT NOT NULL CHECK (role IN ('partner', 'contact', 'legal')),
  PRIMARY KEY (user_id, production_id)
)$KEYED;
CREATE INDEX memberships_production_id ON memberships (production_id, user_id);

CREATE TABLE tools (
  id TEXT NOT NULL PRIMARY KEY,
  name TEXT NOT NULL,
  vendor TEXT NOT NULL,
  license_tier TEXT NOT NULL,
  reviewed_on TEXT NOT NULL,
  scalars TEXT NOT NULL
)$KEYED;

CREATE TABLE policy_packs (
  id $ID,
  name TEXT NOT NULL,
  version TEXT NOT NULL,
  digest TEXT NOT NULL,
  text TEXT NOT NULL,
  $BOOL(active),
  loaded_by $BIGINT REFERENCES users (id),
  loaded_at TEXT NOT NULL
)$STRICT;
CREATE UNIQUE INDEX policy_packs_one_active ON policy_packs (active) WHERE active;

CREATE TABLE use_cases (
  id $ID,
  production_id $BIGINT NOT NULL REFERENCES productions (id),
  created_by $BIGINT NOT NULL REFERENCES users (id),
  summary TEXT NOT NULL,
  declaration_json TEXT NOT NULL,
  declaration_digest TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('draft', 'submitted', 'notified', 'escalated',
                                       'approved', 'rejected', 'withdrawn')),
  outcome TEXT NOT NULL,
  decision_json TEXT NOT NULL,
  policy_digest TEXT NOT NULL,
  engine_version TEXT NOT NULL,
  revision $BIGINT NOT NULL CHECK (revision >= 1),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  UNIQUE (id, production_id)
)$STRICT;
CREATE INDEX use_cases_production_id ON use_cases (production_id, id);
CREATE INDEX use_cases_state ON use_cases (state, id);

CREATE TABLE use_case_events (
  id $ID,
  use_case_id $BIGINT NOT NULL REFERENCES use_cases (id),
  actor_id $BIGINT REFERENCES users (id),
  kind TEXT NOT NULL,
  from_state TEXT NOT NULL,
  to_state TEXT NOT NULL,
  note TEXT NOT NULL,
  at TEXT NOT NULL
)$STRICT;
CREATE INDEX use_case_events_use_case_id ON use_case_events (use_case_id, id);

CREATE TABLE comments (
  id $ID,
  use_case_id $BIGINT NOT NULL REFERENCES use_cases (id),
  author_id $BIGINT NOT NULL REFERENCES users (id),
  body TEXT NOT NULL,
  created_at TEXT NOT NULL
)$STRICT;
CREATE INDEX comments_use_case_id ON comments (use_case_id, id);

CREATE TABLE consents (
  id $ID,
  production_id $BIGINT NOT NULL REFERENCES productions (id),
  use_case_id $BIGINT,
  performer TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('replica_creation', 'replica_use', 'alteration')),
  scope TEXT NOT NULL,
  document_sha256 TEXT NOT NULL,
  expires_at TEXT,
  revoked_at TEXT,
  recorded_by $BIGINT NOT NULL REFERENCES users (id),
  created_at TEXT NOT NULL,
  FOREIGN KEY (use_case_id, production_id) REFERENCES use_cases (id, production_id)
)$STRICT;
CREATE INDEX consents_production_id ON consents (production_id, id);
CREATE INDEX consents_use_case_id ON consents (use_case_id, production_id);

CREATE TABLE approvals (
  id $ID,
  use_case_id $BIGINT NOT NULL REFERENCES use_cases (id),
  approver_id $BIGINT NOT NULL REFERENCES users (id),
  $BOOL(granted),
  declaration_digest TEXT NOT NULL,
  conditions TEXT NOT NULL,
  scope_json TEXT NOT NULL,
  expires_at TEXT,
  $BOOL(outdated),
  created_at TEXT NOT NULL
)$STRICT;
CREATE INDEX approvals_use_case_id ON approvals (use_case_id, id);

CREATE TABLE assets (
  id $ID,
  production_id $BIGINT NOT NULL REFERENCES productions (id),
  use_case_id $BIGINT NOT NULL,
  file_name TEXT NOT NULL,
  media_type TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  pdq TEXT NOT NULL,
  pdq_quality INTEGER NOT NULL CHECK (pdq_quality >= 0),
  width INTEGER NOT NULL CHECK (width >= 0),
  height INTEGER NOT NULL CHECK (height >= 0),
  duration_ms $BIGINT NOT NULL CHECK (duration_ms >= 0),
  manifest_id TEXT NOT NULL,
  -- The unsigned 64-bit payload, stored as the signed integer with the same bits.
  watermark_payload $BIGINT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('provisional', 'cleared', 'rejected')),
  created_by $BIGINT NOT NULL REFERENCES users (id),
  created_at TEXT NOT NULL,
  FOREIGN KEY (use_case_id, production_id) REFERENCES use_cases (id, production_id)
)$STRICT;
CREATE INDEX assets_production_id ON assets (production_id, id);
CREATE INDEX assets_use_case_id ON assets (use_case_id, production_id);

CREATE TABLE api_tokens (
  id $ID,
  user_id $BIGINT NOT NULL REFERENCES users (id),
  name TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL,
  last_used_at TEXT,
  $BOOL(revoked)
)$STRICT;
CREATE INDEX api_tokens_user_id ON api_tokens (user_id, id);

CREATE TABLE sessions (
  id_hash TEXT NOT NULL PRIMARY KEY,
  user_id $BIGINT NOT NULL REFERENCES users (id),
  csrf_token TEXT NOT NULL,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL
)$KEYED;
CREATE INDEX sessions_user_id ON sessions (user_id);

-- The audit log (RFC 9162 leaves): sequence is the leaf index, dense from 0, assigned as the
-- current size while the writer holds the audit log's lock (SQLite: the write lock of BEGIN
-- IMMEDIATE; PostgreSQL: an advisory lock).
CREATE TABLE audit_events (
  sequence $BIGINT PRIMARY KEY CHECK (sequence >= 0),
  time TEXT NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  subject_type TEXT NOT NULL,
  subject_id TEXT NOT NULL,
  payload_json TEXT NOT NULL,
  leaf_hash TEXT NOT NULL
)$STRICT;
$APPEND_ONLY(audit_events)

CREATE TABLE checkpoints (
  tree_size $BIGINT PRIMARY KEY CHECK (tree_size >= 0),
  note TEXT NOT NULL,
  created_at TEXT NOT NULL
)$STRICT;
)sql";

// Asset thumbnails; delivery scans submitted through the API, claimed by scan workers
// (SQLite: one writer at a time; PostgreSQL: FOR UPDATE SKIP LOCKED).
constexpr std::string_view kSchema2 = R"sql(
ALTER TABLE assets ADD COLUMN thumbnail TEXT NOT NULL DEFAULT '';

CREATE TABLE scan_jobs (
  id $ID,
  production_id $BIGINT NOT NULL REFERENCES productions (id),
  paths_json TEXT NOT NULL,
  stride INTEGER NOT NULL CHECK (stride >= 1),
  radius INTEGER NOT NULL CHECK (radius >= 0),
  state TEXT NOT NULL CHECK (state IN ('queued', 'running', 'finished', 'error')),
  submitted_by $BIGINT NOT NULL REFERENCES users (id),
  submitted_at TEXT NOT NULL,
  worker TEXT NOT NULL DEFAULT '',
  attempts INTEGER NOT NULL DEFAULT 0,
  started_at TEXT NOT NULL DEFAULT '',
  heartbeat_at TEXT NOT NULL DEFAULT '',
  finished_at TEXT NOT NULL DEFAULT '',
  files_done INTEGER NOT NULL DEFAULT 0,
  files_total INTEGER NOT NULL DEFAULT 0,
  $BOOL_FALSE(passes),
  summary_json TEXT NOT NULL DEFAULT '',
  error TEXT NOT NULL DEFAULT '',
  report_json TEXT NOT NULL DEFAULT '',
  report_html TEXT NOT NULL DEFAULT ''
)$STRICT;
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
  id $ID,
  scan_job_id $BIGINT NOT NULL REFERENCES scan_jobs (id),
  scanning_production_id $BIGINT NOT NULL REFERENCES productions (id),
  production_id $BIGINT NOT NULL REFERENCES productions (id),
  asset_id $BIGINT NOT NULL REFERENCES assets (id),
  found_at TEXT NOT NULL,
  finding_json TEXT NOT NULL
)$STRICT;
CREATE INDEX scan_cross_production_matches_production_id
  ON scan_cross_production_matches (production_id, id);
)sql";

// What legal signs (issue #14): a use case's checklist, derived from its decision, and the
// signer's typed name and reason on each approval (empty on approvals given before).
constexpr std::string_view kSchema5 = R"sql(
CREATE TABLE checklist_items (
  id $ID,
  use_case_id $BIGINT NOT NULL REFERENCES use_cases (id),
  kind TEXT NOT NULL CHECK (kind IN ('action', 'question')),
  name TEXT NOT NULL,
  rules TEXT NOT NULL,
  $BOOL(conditional),
  state TEXT NOT NULL CHECK (state IN ('open', 'met', 'waived')),
  evidence_json TEXT NOT NULL,
  reason TEXT NOT NULL,
  decided_by $BIGINT REFERENCES users (id),
  decided_at TEXT,
  UNIQUE (use_case_id, kind, name)
)$STRICT;

ALTER TABLE approvals ADD COLUMN signer_name TEXT NOT NULL DEFAULT '';
ALTER TABLE approvals ADD COLUMN reason TEXT NOT NULL DEFAULT '';
)sql";

// An approval's certificate proves its "approval.granted" event: found by subject.
constexpr std::string_view kSchema6 = R"sql(
CREATE INDEX audit_events_subject ON audit_events (subject_type, subject_id, sequence);
)sql";

// Notifications (issue #15): per-production webhooks, and the outbox of notifications that
// each audit event causes, written in the event's transaction and claimed by dispatchers
// with a lease (the idempotency key makes the same event's notification unique).
constexpr std::string_view kSchema7 = R"sql(
CREATE TABLE webhooks (
  id $ID,
  production_id $BIGINT NOT NULL REFERENCES productions (id),
  url TEXT NOT NULL,
  secret TEXT NOT NULL,
  format TEXT NOT NULL CHECK (format IN ('json', 'slack')),
  $BOOL(disabled),
  created_by $BIGINT REFERENCES users (id),
  created_at TEXT NOT NULL
)$STRICT;
CREATE INDEX webhooks_production_id ON webhooks (production_id, id);

CREATE TABLE outbox (
  id $ID,
  idempotency_key TEXT NOT NULL UNIQUE,
  event_sequence $BIGINT NOT NULL,
  event_action TEXT NOT NULL,
  production_id $BIGINT REFERENCES productions (id),
  channel TEXT NOT NULL CHECK (channel IN ('email', 'webhook')),
  recipient_user_id $BIGINT REFERENCES users (id),
  webhook_id $BIGINT REFERENCES webhooks (id),
  address TEXT NOT NULL,
  payload_json TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('pending', 'sending', 'sent', 'dead')),
  attempts INTEGER NOT NULL CHECK (attempts >= 0),
  next_attempt_at TEXT NOT NULL,
  lease_owner TEXT NOT NULL,
  lease_until TEXT NOT NULL,
  last_error TEXT NOT NULL,
  created_at TEXT NOT NULL,
  sent_at TEXT NOT NULL
)$STRICT;
CREATE INDEX outbox_due ON outbox (state, next_attempt_at) WHERE state IN ('pending', 'sending');
CREATE INDEX outbox_state ON outbox (state, id);
CREATE INDEX outbox_webhook_id ON outbox (webhook_id, id);
)sql";

// A consent's expiry suspends what it covered once (issue #14): the sweep that acts on it marks
// the consent, so that two servers never both do.
constexpr std::string_view kSchema8 = R"sql(
ALTER TABLE consents ADD COLUMN lapsed_at TEXT;
)sql";

// Evidence attachments (issue #14): files attached to use cases, consents, approvals and tool
// registry entries. The bytes are in the blob store by SHA-256; a tool's attachment belongs to
// no production. Rows are only added.
constexpr std::string_view kSchema9 = R"sql(
CREATE TABLE attachments (
  id $ID,
  production_id $BIGINT REFERENCES productions (id),
  parent_type TEXT NOT NULL CHECK (parent_type IN ('use_case', 'consent', 'approval', 'tool')),
  parent_id TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  size $BIGINT NOT NULL CHECK (size > 0),
  content_type TEXT NOT NULL,
  file_name TEXT NOT NULL,
  added_by $BIGINT REFERENCES users (id),
  added_at TEXT NOT NULL
)$STRICT;
CREATE INDEX attachments_parent ON attachments (parent_type, parent_id, id);
CREATE INDEX attachments_production_sha256 ON attachments (production_id, sha256);
)sql";

// Failed sign-ins (issue #16): the login throttle's counts, so that every `serve` process on the
// database counts every failure. Like sessions, not audit state: a failed sign-in changes nothing
// a clearance depends on, and rows older than the throttle's window are deleted.
constexpr std::string_view kSchema10 = R"sql(
CREATE TABLE login_failures (
  id $ID,
  throttle_key TEXT NOT NULL,
  failed_at TEXT NOT NULL
)$STRICT;
CREATE INDEX login_failures_key_time ON login_failures (throttle_key, failed_at);
CREATE INDEX login_failures_time ON login_failures (failed_at);
)sql";

// AI audio outputs (issue #18): a registered output's landmark fingerprint, the peaks as
// audio/fingerprint_codec.h stores them (base64); empty for outputs without sound.
constexpr std::string_view kSchema11 = R"sql(
ALTER TABLE assets ADD COLUMN audio_fingerprint TEXT NOT NULL DEFAULT '';
)sql";

// Single sign-on with OpenID Connect (issue #15): accounts at the provider linked to users, the
// sign-ins under way (ephemeral like sessions, not audit state: each lives ten minutes and
// works once), and the admin's rules that give a provider's groups roles on productions.
constexpr std::string_view kSchema12 = R"sql(
CREATE TABLE user_identities (
  issuer TEXT NOT NULL,
  subject TEXT NOT NULL,
  user_id $BIGINT NOT NULL REFERENCES users (id),
  created_at TEXT NOT NULL,
  PRIMARY KEY (issuer, subject)
)$KEYED;
CREATE INDEX user_identities_user_id ON user_identities (user_id);
CREATE TABLE sso_logins (
  state_hash TEXT NOT NULL PRIMARY KEY,
  nonce TEXT NOT NULL,
  code_verifier TEXT NOT NULL,
  return_to TEXT NOT NULL,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL
)$KEYED;
CREATE INDEX sso_logins_expires_at ON sso_logins (expires_at);
CREATE TABLE sso_role_mappings (
  id $ID,
  claim TEXT NOT NULL,
  claim_value TEXT NOT NULL,
  production_id $BIGINT NOT NULL REFERENCES productions (id),
  role TEXT NOT NULL CHECK (role IN ('partner', 'contact', 'legal')),
  created_at TEXT NOT NULL,
  UNIQUE (claim, claim_value, production_id)
)$STRICT;
)sql";

// Notices (issue #15). `notices` is the ledger of notices the sweeps send once (an approval or
// consent about to expire, a task coming due): the key names the thing and its date, so that
// servers sweeping one database send each once. `notification_preferences`: how a person hears
// of a topic (no row: at once). `digest_items`: e-mails held for a person's daily digest, taken
// by the transaction that enqueues the digest. `password_resets`: reset links by the SHA-256 of
// their token, each taken once.
constexpr std::string_view kSchema13 = R"sql(
CREATE TABLE notices (
  notice_key TEXT NOT NULL PRIMARY KEY,
  created_at TEXT NOT NULL
)$KEYED;
CREATE TABLE notification_preferences (
  user_id $BIGINT NOT NULL REFERENCES users (id),
  topic TEXT NOT NULL,
  delivery TEXT NOT NULL CHECK (delivery IN ('immediate', 'digest', 'off')),
  updated_at TEXT NOT NULL,
  PRIMARY KEY (user_id, topic)
)$KEYED;
CREATE TABLE digest_items (
  id $ID,
  idempotency_key TEXT NOT NULL UNIQUE,
  user_id $BIGINT NOT NULL REFERENCES users (id),
  event_sequence $BIGINT NOT NULL,
  event_action TEXT NOT NULL,
  production_id $BIGINT REFERENCES productions (id),
  payload_json TEXT NOT NULL,
  created_at TEXT NOT NULL
)$STRICT;
CREATE INDEX digest_items_user_id ON digest_items (user_id, id);
CREATE TABLE password_resets (
  token_hash TEXT NOT NULL PRIMARY KEY,
  user_id $BIGINT NOT NULL REFERENCES users (id),
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL
)$KEYED;
CREATE INDEX password_resets_user_id ON password_resets (user_id);
)sql";

// The inbox (issue #15): how many working days a production's studio has to answer a use case
// waiting on it, the member a waiting use case is assigned to (NULL: nobody; an assignment
// lapses when the state changes), and a user's delegate while they are away.
constexpr std::string_view kSchema14 = R"sql(
ALTER TABLE productions ADD COLUMN answer_within_days INTEGER NOT NULL DEFAULT 2;
ALTER TABLE use_cases ADD COLUMN assignee_id $BIGINT REFERENCES users (id);
CREATE TABLE delegations (
  user_id $BIGINT NOT NULL PRIMARY KEY REFERENCES users (id),
  delegate_id $BIGINT NOT NULL REFERENCES users (id),
  until TEXT NOT NULL,
  created_at TEXT NOT NULL
)$KEYED;
CREATE INDEX delegations_delegate_id ON delegations (delegate_id);
)sql";

constexpr std::string_view kSources[] = {kSchema1,  kSchema2,  kSchema3,  kSchema4, kSchema5,
                                         kSchema6,  kSchema7,  kSchema8,  kSchema9, kSchema10,
                                         kSchema11, kSchema12, kSchema13, kSchema14};

bool is_word_char(char c) {
  return (c >= 'A' && c <= 'Z') || c == '_';
}

// `pattern` with every "{}" replaced by `argument`.
std::string fill(std::string_view pattern, std::string_view argument) {
  std::string out;
  for (size_t at = 0;;) {
    size_t hole = pattern.find("{}", at);
    if (hole == std::string_view::npos) {
      out += pattern.substr(at);
      return out;
    }
    out += pattern.substr(at, hole - at);
    out += argument;
    at = hole + 2;
  }
}

}  // namespace

std::string render_schema(std::string_view source, const SchemaDialect& dialect) {
  struct Word {
    std::string_view name;
    std::string_view text;
    bool takes_argument;
  };
  const Word words[] = {
      {"ID", dialect.id, false},
      {"BIGINT", dialect.bigint, false},
      {"BOOL", dialect.boolean, true},
      {"BOOL_FALSE", dialect.boolean_false, true},
      {"STRICT", dialect.table_end, false},
      {"KEYED", dialect.keyed_table_end, false},
      {"APPEND_ONLY", dialect.append_only, true},
  };
  std::string out;
  size_t at = 0;
  while (true) {
    size_t dollar = source.find('$', at);
    if (dollar == std::string_view::npos) {
      out += source.substr(at);
      return out;
    }
    out += source.substr(at, dollar - at);
    size_t end = dollar + 1;
    while (end < source.size() && is_word_char(source[end])) {
      ++end;
    }
    std::string_view name = source.substr(dollar + 1, end - dollar - 1);
    const Word* word = nullptr;
    for (const Word& candidate : words) {
      if (candidate.name == name) {
        word = &candidate;
      }
    }
    CC_CHECK(word != nullptr);
    if (!word->takes_argument) {
      out += word->text;
      at = end;
      continue;
    }
    CC_CHECK(end < source.size() && source[end] == '(');
    size_t close = source.find(')', end);
    CC_CHECK(close != std::string_view::npos);
    out += fill(word->text, source.substr(end + 1, close - end - 1));
    at = close + 1;
  }
}

Schema::Schema(const SchemaDialect& dialect) {
  texts_.reserve(std::size(kSources));
  for (std::string_view source : kSources) {
    texts_.push_back(render_schema(source, dialect));
  }
  for (size_t i = 0; i < texts_.size(); ++i) {
    migrations_.push_back({static_cast<int>(i) + 1, texts_[i]});
  }
}

}  // namespace clearcut::store::sql
