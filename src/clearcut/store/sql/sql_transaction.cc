#include "clearcut/store/sql/sql_transaction.h"

#include <charconv>
#include <limits>
#include <string>
#include <utility>

#include <nlohmann/json.hpp>

#include "clearcut/audit/audit_event.h"
#include "clearcut/base/hex.h"
#include "clearcut/base/utf8.h"
#include "clearcut/domain/validation.h"

namespace clearcut::store::sql {
namespace {

using base::Error;
using base::ErrorCode;
using base::Result;
using base::Status;
using domain::check_email;
using domain::check_not_empty;
using domain::check_optional_time;
using domain::check_time;

Error failed_precondition(std::string message) {
  return Error(ErrorCode::kFailedPrecondition, std::move(message));
}

Error data_loss(std::string message) {
  return Error(ErrorCode::kDataLoss, std::move(message));
}

Error missing(std::string_view what, int64_t id) {
  return base::not_found(std::string(what) + " " + std::to_string(id) + " not found");
}

Status check_limit(int limit) {
  if (limit < 1 || limit > kMaxListLimit) {
    return base::invalid_argument("limit must be between 1 and " + std::to_string(kMaxListLimit))
        .with_field("limit");
  }
  return {};
}

std::string ascii_lower(std::string text) {
  for (char& c : text) {
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    }
  }
  return text;
}

// Both backends must refuse what PostgreSQL refuses (NUL bytes, invalid UTF-8), rather than
// SQLite storing it and the two drifting apart.
Status check_params(const std::vector<SqlValue>& params) {
  for (const SqlValue& value : params) {
    const auto* text = std::get_if<std::string>(&value);
    if (text == nullptr) {
      continue;
    }
    if (text->find('\0') != std::string::npos) {
      return base::invalid_argument("text contains a NUL character");
    }
    if (base::find_invalid_utf8(*text).has_value()) {
      return base::invalid_argument("text is not valid UTF-8");
    }
  }
  return {};
}

// Tool facts are small integers in the stage slots; stored as "1,0,-1,-1". Slots added by a
// later version read as absent from rows written before them.
std::string encode_scalars(const domain::Tool& tool) {
  std::string out;
  for (size_t i = 0; i < tool.scalars.size(); ++i) {
    if (i > 0) {
      out += ',';
    }
    out += std::to_string(tool.scalars[i]);
  }
  return out;
}

Status decode_scalars(std::string_view text, domain::Tool* tool) {
  tool->scalars.fill(domain::kAbsent);
  size_t slot = 0;
  while (!text.empty()) {
    size_t comma = text.find(',');
    std::string_view item = text.substr(0, comma);
    int value = 0;
    auto [end, ec] = std::from_chars(item.data(), item.data() + item.size(), value);
    if (ec != std::errc() || end != item.data() + item.size() || value < -128 || value > 127 ||
        slot >= tool->scalars.size()) {
      return data_loss("stored tool " + tool->id + " has malformed facts");
    }
    tool->scalars[slot++] = static_cast<int8_t>(value);
    text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
  }
  return {};
}

constexpr std::string_view kOrganizationColumns = "id, name, created_at";

Result<domain::Organization> read_organization(const SqlRow& row) {
  SqlRowReader r(row);
  domain::Organization org;
  org.id = r.int64();
  org.name = r.text();
  org.created_at = r.text();
  CC_TRY(r.status());
  return org;
}

constexpr std::string_view kUserColumns =
    "id, organization_id, email, name, password_hash, admin, disabled, created_at";

Result<domain::User> read_user(const SqlRow& row) {
  SqlRowReader r(row);
  domain::User user;
  user.id = r.int64();
  user.organization_id = r.int64();
  user.email = r.text();
  user.name = r.text();
  user.password_hash = r.text();
  user.admin = r.boolean();
  user.disabled = r.boolean();
  user.created_at = r.text();
  CC_TRY(r.status());
  return user;
}

Result<domain::Membership> read_membership(const SqlRow& row) {
  SqlRowReader r(row);
  domain::Membership membership;
  membership.user_id = r.int64();
  membership.production_id = r.int64();
  std::string role = r.text();
  CC_TRY(r.status());
  std::optional<domain::Role> parsed = domain::parse_role(role);
  if (!parsed) {
    return data_loss("stored membership has an unknown role");
  }
  membership.role = *parsed;
  return membership;
}

constexpr std::string_view kProductionColumns = "id, organization_id, code, title, created_at";

Result<domain::Production> read_production(const SqlRow& row) {
  SqlRowReader r(row);
  domain::Production production;
  production.id = r.int64();
  production.organization_id = r.int64();
  production.code = r.text();
  production.title = r.text();
  production.created_at = r.text();
  CC_TRY(r.status());
  return production;
}

Result<domain::Tool> read_tool(const SqlRow& row) {
  SqlRowReader r(row);
  domain::Tool tool;
  tool.id = r.text();
  tool.name = r.text();
  tool.vendor = r.text();
  tool.license_tier = r.text();
  tool.reviewed_on = r.text();
  std::string scalars = r.text();
  CC_TRY(r.status());
  CC_TRY(decode_scalars(scalars, &tool));
  return tool;
}

constexpr std::string_view kPolicyPackColumns =
    "id, name, version, digest, active, loaded_by, loaded_at";

// Reads kPolicyPackColumns, then the text when the query selected it.
Result<PolicyPackRecord> read_policy_pack(const SqlRow& row, bool with_text) {
  SqlRowReader r(row);
  PolicyPackRecord pack;
  pack.id = r.int64();
  pack.name = r.text();
  pack.version = r.text();
  pack.digest = r.text();
  pack.active = r.boolean();
  pack.loaded_by = r.int64();
  pack.loaded_at = r.text();
  if (with_text) {
    pack.text = r.text();
  }
  CC_TRY(r.status());
  return pack;
}

constexpr std::string_view kUseCaseColumns =
    "id, production_id, created_by, summary, declaration_json, declaration_digest, state, "
    "outcome, decision_json, policy_digest, engine_version, revision, created_at, updated_at";

Result<domain::UseCase> read_use_case(const SqlRow& row) {
  SqlRowReader r(row);
  domain::UseCase use_case;
  use_case.id = r.int64();
  use_case.production_id = r.int64();
  use_case.created_by = r.int64();
  use_case.summary = r.text();
  use_case.declaration_json = r.text();
  use_case.declaration_digest = r.text();
  std::string state = r.text();
  use_case.outcome = r.text();
  use_case.decision_json = r.text();
  use_case.policy_digest = r.text();
  use_case.engine_version = r.text();
  use_case.revision = r.int64();
  use_case.created_at = r.text();
  use_case.updated_at = r.text();
  CC_TRY(r.status());
  std::optional<domain::UseCaseState> parsed = domain::parse_use_case_state(state);
  if (!parsed) {
    return data_loss("stored use case " + std::to_string(use_case.id) + " has an unknown state");
  }
  use_case.state = *parsed;
  return use_case;
}

Result<std::vector<domain::UseCase>> read_use_cases(const SqlRows& rows) {
  std::vector<domain::UseCase> out;
  out.reserve(rows.size());
  for (const SqlRow& row : rows) {
    out.push_back(CC_TRY(read_use_case(row)));
  }
  return out;
}

constexpr std::string_view kUseCaseEventColumns =
    "id, use_case_id, actor_id, kind, from_state, to_state, note, at";

Result<domain::UseCaseEvent> read_use_case_event(const SqlRow& row) {
  SqlRowReader r(row);
  domain::UseCaseEvent event;
  event.id = r.int64();
  event.use_case_id = r.int64();
  event.actor_id = r.int64();
  event.kind = r.text();
  event.from_state = r.text();
  event.to_state = r.text();
  event.note = r.text();
  event.at = r.text();
  CC_TRY(r.status());
  return event;
}

constexpr std::string_view kCommentColumns = "id, use_case_id, author_id, body, created_at";

Result<domain::Comment> read_comment(const SqlRow& row) {
  SqlRowReader r(row);
  domain::Comment comment;
  comment.id = r.int64();
  comment.use_case_id = r.int64();
  comment.author_id = r.int64();
  comment.body = r.text();
  comment.created_at = r.text();
  CC_TRY(r.status());
  return comment;
}

constexpr std::string_view kConsentColumns =
    "id, production_id, use_case_id, performer, kind, scope, document_sha256, expires_at, "
    "revoked_at, recorded_by, created_at";

Result<domain::Consent> read_consent(const SqlRow& row) {
  SqlRowReader r(row);
  domain::Consent consent;
  consent.id = r.int64();
  consent.production_id = r.int64();
  consent.use_case_id = r.int64();
  consent.performer = r.text();
  std::string kind = r.text();
  consent.scope = r.text();
  consent.document_sha256 = r.text();
  consent.expires_at = r.text();
  consent.revoked_at = r.text();
  consent.recorded_by = r.int64();
  consent.created_at = r.text();
  CC_TRY(r.status());
  std::optional<domain::ConsentKind> parsed = domain::parse_consent_kind(kind);
  if (!parsed) {
    return data_loss("stored consent " + std::to_string(consent.id) + " has an unknown kind");
  }
  consent.kind = *parsed;
  return consent;
}

constexpr std::string_view kApprovalColumns =
    "id, use_case_id, approver_id, granted, declaration_digest, conditions, scope_json, "
    "expires_at, outdated, created_at";

Result<domain::Approval> read_approval(const SqlRow& row) {
  SqlRowReader r(row);
  domain::Approval approval;
  approval.id = r.int64();
  approval.use_case_id = r.int64();
  approval.approver_id = r.int64();
  approval.granted = r.boolean();
  approval.declaration_digest = r.text();
  approval.conditions = r.text();
  approval.scope_json = r.text();
  approval.expires_at = r.text();
  approval.outdated = r.boolean();
  approval.created_at = r.text();
  CC_TRY(r.status());
  return approval;
}

constexpr std::string_view kAssetColumns =
    "id, production_id, use_case_id, file_name, media_type, sha256, pdq, pdq_quality, width, "
    "height, duration_ms, manifest_id, watermark_payload, status, created_by, created_at, "
    "thumbnail, frame_pdq";

Result<domain::Asset> read_asset(const SqlRow& row) {
  SqlRowReader r(row);
  domain::Asset asset;
  asset.id = r.int64();
  asset.production_id = r.int64();
  asset.use_case_id = r.int64();
  asset.file_name = r.text();
  asset.media_type = r.text();
  asset.sha256 = r.text();
  asset.pdq = r.text();
  int64_t pdq_quality = r.int64();
  int64_t width = r.int64();
  int64_t height = r.int64();
  asset.duration_ms = r.int64();
  asset.manifest_id = r.text();
  // The 64-bit payload is stored as the signed integer with the same bits.
  asset.watermark_payload = static_cast<uint64_t>(r.int64());
  std::string status = r.text();
  asset.created_by = r.int64();
  asset.created_at = r.text();
  asset.thumbnail = r.text();
  std::string frame_pdq = r.text();
  CC_TRY(r.status());
  for (size_t start = 0; start < frame_pdq.size();) {
    size_t end = std::min(frame_pdq.find(' ', start), frame_pdq.size());
    asset.frame_pdq.push_back(frame_pdq.substr(start, end - start));
    start = end + 1;
  }
  constexpr int64_t kIntMax = std::numeric_limits<int>::max();
  std::optional<domain::AssetStatus> parsed = domain::parse_asset_status(status);
  if (!parsed || pdq_quality < 0 || pdq_quality > kIntMax || width < 0 || width > kIntMax ||
      height < 0 || height > kIntMax) {
    return data_loss("stored asset " + std::to_string(asset.id) + " is malformed");
  }
  asset.pdq_quality = static_cast<int>(pdq_quality);
  asset.width = static_cast<int>(width);
  asset.height = static_cast<int>(height);
  asset.status = *parsed;
  return asset;
}

Result<std::vector<domain::Asset>> read_assets(const SqlRows& rows) {
  std::vector<domain::Asset> out;
  out.reserve(rows.size());
  for (const SqlRow& row : rows) {
    out.push_back(CC_TRY(read_asset(row)));
  }
  return out;
}

constexpr std::string_view kScanJobColumns =
    "id, production_id, paths_json, stride, radius, state, submitted_by, submitted_at, worker, "
    "attempts, started_at, heartbeat_at, finished_at, files_done, files_total, passes, "
    "summary_json, error";

Result<domain::ScanJob> read_scan_job(const SqlRow& row) {
  SqlRowReader r(row);
  domain::ScanJob job;
  job.id = r.int64();
  job.production_id = r.int64();
  std::string paths_json = r.text();
  int64_t stride = r.int64();
  int64_t radius = r.int64();
  std::string state = r.text();
  job.submitted_by = r.int64();
  job.submitted_at = r.text();
  job.worker = r.text();
  int64_t attempts = r.int64();
  job.started_at = r.text();
  job.heartbeat_at = r.text();
  job.finished_at = r.text();
  int64_t files_done = r.int64();
  int64_t files_total = r.int64();
  job.passes = r.boolean();
  job.summary_json = r.text();
  job.error = r.text();
  CC_TRY(r.status());
  constexpr int64_t kIntMax = std::numeric_limits<int>::max();
  std::optional<domain::ScanJobState> parsed = domain::parse_scan_job_state(state);
  nlohmann::json paths = nlohmann::json::parse(paths_json, nullptr, false);
  bool paths_ok = paths.is_array();
  for (const auto& path : paths_ok ? paths : nlohmann::json::array()) {
    paths_ok = paths_ok && path.is_string();
  }
  if (!parsed || !paths_ok || stride < 1 || stride > kIntMax || radius < 0 || radius > kIntMax ||
      attempts < 0 || attempts > kIntMax || files_done < 0 || files_done > kIntMax ||
      files_total < 0 || files_total > kIntMax) {
    return data_loss("stored scan job " + std::to_string(job.id) + " is malformed");
  }
  job.paths = paths.get<std::vector<std::string>>();
  job.stride = static_cast<int>(stride);
  job.radius = static_cast<int>(radius);
  job.state = *parsed;
  job.attempts = static_cast<int>(attempts);
  job.files_done = static_cast<int>(files_done);
  job.files_total = static_cast<int>(files_total);
  return job;
}

constexpr std::string_view kTokenColumns =
    "id, user_id, name, token_hash, created_at, last_used_at, revoked";

Result<domain::ApiToken> read_token(const SqlRow& row) {
  SqlRowReader r(row);
  domain::ApiToken token;
  token.id = r.int64();
  token.user_id = r.int64();
  token.name = r.text();
  token.token_hash = r.text();
  token.created_at = r.text();
  token.last_used_at = r.text();
  token.revoked = r.boolean();
  CC_TRY(r.status());
  return token;
}

constexpr std::string_view kSessionColumns = "id_hash, user_id, csrf_token, created_at, expires_at";

Result<domain::Session> read_session(const SqlRow& row) {
  SqlRowReader r(row);
  domain::Session session;
  session.id_hash = r.text();
  session.user_id = r.int64();
  session.csrf_token = r.text();
  session.created_at = r.text();
  session.expires_at = r.text();
  CC_TRY(r.status());
  return session;
}

constexpr std::string_view kAuditColumns =
    "sequence, time, actor, action, subject_type, subject_id, payload_json, leaf_hash";

Result<AuditRecord> read_audit_record(const SqlRow& row) {
  SqlRowReader r(row);
  AuditRecord record;
  int64_t sequence = r.int64();
  record.event.time = r.text();
  record.event.actor = r.text();
  record.event.action = r.text();
  record.event.subject_type = r.text();
  record.event.subject_id = r.text();
  record.event.payload_json = r.text();
  record.leaf_hash = r.text();
  CC_TRY(r.status());
  if (sequence < 0) {
    return data_loss("stored audit event has a negative sequence");
  }
  record.event.sequence = static_cast<uint64_t>(sequence);
  return record;
}

constexpr std::string_view kCheckpointColumns = "tree_size, note, created_at";

Result<CheckpointRecord> read_checkpoint(const SqlRow& row) {
  SqlRowReader r(row);
  CheckpointRecord checkpoint;
  int64_t tree_size = r.int64();
  checkpoint.note = r.text();
  checkpoint.created_at = r.text();
  CC_TRY(r.status());
  if (tree_size < 0) {
    return data_loss("stored checkpoint has a negative tree size");
  }
  checkpoint.tree_size = static_cast<uint64_t>(tree_size);
  return checkpoint;
}

template <typename T, typename Read>
Result<std::vector<T>> read_all(const SqlRows& rows, Read read) {
  std::vector<T> out;
  out.reserve(rows.size());
  for (const SqlRow& row : rows) {
    out.push_back(CC_TRY(read(row)));
  }
  return out;
}

std::string select(std::string_view columns, std::string_view rest) {
  std::string sql = "SELECT ";
  sql += columns;
  sql += ' ';
  sql += rest;
  return sql;
}

// The count of a `SELECT <integer>` that yields exactly one row.
Result<int64_t> single_integer(const SqlRows& rows) {
  if (rows.size() != 1) {
    return base::internal_error("expected one row");
  }
  SqlRowReader r(rows[0]);
  int64_t value = r.int64();
  CC_TRY(r.status());
  return value;
}

Result<int64_t> inserted_id(const SqlRows& rows) {
  return single_integer(rows);
}

}  // namespace

SqlTransaction::SqlTransaction(std::shared_ptr<ConnectionPool> pool,
                               std::unique_ptr<SqlConnection> connection, const SqlDialect& dialect)
    : pool_(std::move(pool)), connection_(std::move(connection)), dialect_(dialect) {}

SqlTransaction::~SqlTransaction() {
  finish();
}

void SqlTransaction::finish() {
  if (connection_ == nullptr) {
    return;
  }
  if (state_ != State::kFinished) {
    // A failed rollback leaves the connection unhealthy; the pool then closes it.
    (void)connection_->execute("ROLLBACK");
    state_ = State::kFinished;
  }
  pool_->release(std::move(connection_));
}

Status SqlTransaction::usable() const {
  switch (state_) {
    case State::kOpen:
      return {};
    case State::kAborted:
      return failed_precondition(
          "transaction aborted by an earlier database error; begin a new one");
    case State::kFinished:
      return failed_precondition("transaction already finished");
  }
  return failed_precondition("transaction in an unknown state");
}

Result<SqlRows> SqlTransaction::run(std::string_view action, std::string_view sql,
                                    const std::vector<SqlValue>& params, Messages messages) {
  if (Status status = usable(); !status.has_value()) {
    return std::move(status).error().with_context(action);
  }
  if (Status status = check_params(params); !status.has_value()) {
    return std::move(status).error().with_context(action);
  }
  Result<SqlRows> rows = connection_->query(sql, params);
  if (rows.has_value()) {
    return rows;
  }
  state_ = State::kAborted;
  Error error = std::move(rows).error();
  if (error.code() == ErrorCode::kAlreadyExists && !messages.exists.empty()) {
    error = Error(ErrorCode::kAlreadyExists, std::string(messages.exists));
  } else if (error.code() == ErrorCode::kNotFound && !messages.missing.empty()) {
    error = base::not_found(std::string(messages.missing));
  }
  return error.with_context(action);
}

Status SqlTransaction::lock(std::string_view action, int64_t key) {
  if (!dialect_.lock.empty()) {
    CC_TRY(run(action, dialect_.lock, {SqlValue(key)}));
  }
  return {};
}

Status SqlTransaction::commit() {
  if (state_ == State::kAborted) {
    finish();
    return failed_precondition("commit: transaction aborted by an earlier database error");
  }
  CC_TRY(usable());
  Status status = connection_->execute("COMMIT");
  if (!status.has_value()) {
    // The database rolled back or lost the transaction; finish() makes sure and cleans up.
    state_ = State::kAborted;
    finish();
    return std::move(status).error().with_context("commit");
  }
  state_ = State::kFinished;
  finish();
  return {};
}

// Organizations, users, memberships.

Result<int64_t> SqlTransaction::create_organization(const domain::Organization& org) {
  CC_TRY(check_time(org.created_at, "created_at"));
  SqlRows rows = CC_TRY(run("create organization",
                            "INSERT INTO organizations (name, created_at) VALUES (?, ?) "
                            "RETURNING id",
                            {org.name, org.created_at}));
  return inserted_id(rows);
}

Result<domain::Organization> SqlTransaction::get_organization(int64_t id) {
  SqlRows rows = CC_TRY(run("get organization",
                            select(kOrganizationColumns, "FROM organizations WHERE id = ?"), {id}));
  if (rows.empty()) {
    return missing("organization", id);
  }
  return read_organization(rows[0]);
}

Result<std::vector<domain::Organization>> SqlTransaction::list_organizations() {
  SqlRows rows = CC_TRY(run("list organizations",
                            select(kOrganizationColumns, "FROM organizations ORDER BY id"), {}));
  return read_all<domain::Organization>(rows, read_organization);
}

Result<int64_t> SqlTransaction::create_user(const domain::User& user) {
  CC_TRY(check_email(user.email));
  CC_TRY(check_time(user.created_at, "created_at"));
  SqlRows rows =
      CC_TRY(run("create user",
                 "INSERT INTO users (organization_id, email, name, password_hash, admin, disabled, "
                 "created_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
                 {user.organization_id, user.email, user.name, user.password_hash, user.admin,
                  user.disabled, user.created_at},
                 {"a user with this email already exists", "organization not found"}));
  return inserted_id(rows);
}

Result<domain::User> SqlTransaction::get_user(int64_t id) {
  SqlRows rows = CC_TRY(run("get user", select(kUserColumns, "FROM users WHERE id = ?"), {id}));
  if (rows.empty()) {
    return missing("user", id);
  }
  return read_user(rows[0]);
}

Result<std::optional<domain::User>> SqlTransaction::find_user_by_email(const std::string& email) {
  SqlRows rows = CC_TRY(
      run("find user", select(kUserColumns, "FROM users WHERE email = ?"), {ascii_lower(email)}));
  if (rows.empty()) {
    return std::optional<domain::User>();
  }
  return std::optional<domain::User>(CC_TRY(read_user(rows[0])));
}

Result<std::vector<domain::User>> SqlTransaction::list_users() {
  SqlRows rows = CC_TRY(run("list users", select(kUserColumns, "FROM users ORDER BY id"), {}));
  return read_all<domain::User>(rows, read_user);
}

Status SqlTransaction::update_user(const domain::User& user) {
  CC_TRY(check_email(user.email));
  CC_TRY(check_time(user.created_at, "created_at"));
  SqlRows rows = CC_TRY(run(
      "update user",
      "UPDATE users SET organization_id = ?, email = ?, name = ?, password_hash = ?, admin = ?, "
      "disabled = ?, created_at = ? WHERE id = ? RETURNING id",
      {user.organization_id, user.email, user.name, user.password_hash, user.admin, user.disabled,
       user.created_at, user.id},
      {"a user with this email already exists", "organization not found"}));
  if (rows.empty()) {
    return missing("user", user.id);
  }
  return {};
}

Status SqlTransaction::set_membership(const domain::Membership& membership) {
  CC_TRY(run("set membership",
             "INSERT INTO memberships (user_id, production_id, role) VALUES (?, ?, ?) "
             "ON CONFLICT (user_id, production_id) DO UPDATE SET role = excluded.role",
             {membership.user_id, membership.production_id,
              std::string(domain::role_name(membership.role))},
             {{}, "user or production not found"}));
  return {};
}

Status SqlTransaction::remove_membership(int64_t user_id, int64_t production_id) {
  SqlRows rows = CC_TRY(run("remove membership",
                            "DELETE FROM memberships WHERE user_id = ? AND production_id = ? "
                            "RETURNING user_id",
                            {user_id, production_id}));
  if (rows.empty()) {
    return base::not_found("remove membership: user " + std::to_string(user_id) +
                           " is not a member of production " + std::to_string(production_id));
  }
  return {};
}

Result<std::vector<domain::Membership>> SqlTransaction::list_memberships_of_user(int64_t user_id) {
  SqlRows rows = CC_TRY(run("list memberships",
                            "SELECT user_id, production_id, role FROM memberships "
                            "WHERE user_id = ? ORDER BY production_id",
                            {user_id}));
  return read_all<domain::Membership>(rows, read_membership);
}

Result<std::vector<domain::Membership>> SqlTransaction::list_members_of_production(
    int64_t production_id) {
  SqlRows rows = CC_TRY(run("list members",
                            "SELECT user_id, production_id, role FROM memberships "
                            "WHERE production_id = ? ORDER BY user_id",
                            {production_id}));
  return read_all<domain::Membership>(rows, read_membership);
}

// Productions.

Result<int64_t> SqlTransaction::create_production(const domain::Production& production) {
  CC_TRY(check_not_empty(production.code, "code"));
  CC_TRY(check_time(production.created_at, "created_at"));
  SqlRows rows = CC_TRY(
      run("create production",
          "INSERT INTO productions (organization_id, code, title, created_at) "
          "VALUES (?, ?, ?, ?) RETURNING id",
          {production.organization_id, production.code, production.title, production.created_at},
          {"a production with this code already exists", "organization not found"}));
  return inserted_id(rows);
}

Result<domain::Production> SqlTransaction::get_production(int64_t id) {
  SqlRows rows = CC_TRY(
      run("get production", select(kProductionColumns, "FROM productions WHERE id = ?"), {id}));
  if (rows.empty()) {
    return missing("production", id);
  }
  return read_production(rows[0]);
}

Result<std::optional<domain::Production>> SqlTransaction::find_production_by_code(
    const std::string& code) {
  SqlRows rows = CC_TRY(run("find production",
                            select(kProductionColumns, "FROM productions WHERE code = ?"), {code}));
  if (rows.empty()) {
    return std::optional<domain::Production>();
  }
  return std::optional<domain::Production>(CC_TRY(read_production(rows[0])));
}

Result<std::vector<domain::Production>> SqlTransaction::list_productions() {
  SqlRows rows = CC_TRY(
      run("list productions", select(kProductionColumns, "FROM productions ORDER BY id"), {}));
  return read_all<domain::Production>(rows, read_production);
}

// The tool registry.

Status SqlTransaction::upsert_tool(const domain::Tool& tool) {
  CC_TRY(check_not_empty(tool.id, "id"));
  CC_TRY(run("upsert tool",
             "INSERT INTO tools (id, name, vendor, license_tier, reviewed_on, scalars) "
             "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET name = excluded.name, "
             "vendor = excluded.vendor, license_tier = excluded.license_tier, "
             "reviewed_on = excluded.reviewed_on, scalars = excluded.scalars",
             {tool.id, tool.name, tool.vendor, tool.license_tier, tool.reviewed_on,
              encode_scalars(tool)}));
  return {};
}

Status SqlTransaction::delete_tool(const std::string& id) {
  SqlRows rows = CC_TRY(run("delete tool", "DELETE FROM tools WHERE id = ? RETURNING id", {id}));
  if (rows.empty()) {
    return base::not_found("tool " + id + " not found");
  }
  return {};
}

Result<std::vector<domain::Tool>> SqlTransaction::list_tools() {
  SqlRows rows = CC_TRY(run("list tools",
                            "SELECT id, name, vendor, license_tier, reviewed_on, scalars "
                            "FROM tools ORDER BY id",
                            {}));
  return read_all<domain::Tool>(rows, read_tool);
}

// Policy packs.

Result<int64_t> SqlTransaction::insert_policy_pack(const PolicyPackRecord& pack) {
  constexpr std::string_view kAction = "insert policy pack";
  CC_TRY(check_time(pack.loaded_at, "loaded_at"));
  CC_TRY(lock(kAction, kPolicyPackLock));
  bool active = pack.active;
  if (active) {
    CC_TRY(run(kAction, "UPDATE policy_packs SET active = ? WHERE active", {false}));
  } else {
    // The first pack stored becomes the active one: exactly one is active once any is stored.
    SqlRows rows =
        CC_TRY(run(kAction, "SELECT id FROM policy_packs WHERE active", std::vector<SqlValue>{}));
    active = rows.empty();
  }
  SqlRows rows = CC_TRY(run(kAction,
                            "INSERT INTO policy_packs (name, version, digest, text, active, "
                            "loaded_by, loaded_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
                            {pack.name, pack.version, pack.digest, pack.text, active,
                             id_or_null(pack.loaded_by), pack.loaded_at},
                            {{}, "user not found"}));
  return inserted_id(rows);
}

Result<std::optional<PolicyPackRecord>> SqlTransaction::active_policy_pack() {
  SqlRows rows = CC_TRY(
      run("get active policy pack",
          select(kPolicyPackColumns, ", text FROM policy_packs WHERE active ORDER BY id"), {}));
  if (rows.empty()) {
    return std::optional<PolicyPackRecord>();
  }
  return std::optional<PolicyPackRecord>(CC_TRY(read_policy_pack(rows[0], true)));
}

Result<PolicyPackRecord> SqlTransaction::get_policy_pack(int64_t id) {
  SqlRows rows =
      CC_TRY(run("get policy pack",
                 select(kPolicyPackColumns, ", text FROM policy_packs WHERE id = ?"), {id}));
  if (rows.empty()) {
    return missing("policy pack", id);
  }
  return read_policy_pack(rows[0], true);
}

Result<std::vector<PolicyPackRecord>> SqlTransaction::list_policy_packs() {
  SqlRows rows = CC_TRY(
      run("list policy packs", select(kPolicyPackColumns, "FROM policy_packs ORDER BY id"), {}));
  return read_all<PolicyPackRecord>(rows,
                                    [](const SqlRow& row) { return read_policy_pack(row, false); });
}

Status SqlTransaction::activate_policy_pack(int64_t id) {
  constexpr std::string_view kAction = "activate policy pack";
  CC_TRY(lock(kAction, kPolicyPackLock));
  SqlRows rows = CC_TRY(run(kAction, "SELECT id FROM policy_packs WHERE id = ?", {id}));
  if (rows.empty()) {
    return missing("policy pack", id);
  }
  // Deactivate first: the partial unique index allows one active row at any moment.
  CC_TRY(run(kAction, "UPDATE policy_packs SET active = ? WHERE active AND id <> ?", {false, id}));
  CC_TRY(run(kAction, "UPDATE policy_packs SET active = ? WHERE id = ?", {true, id}));
  return {};
}

// Use cases.

Result<int64_t> SqlTransaction::create_use_case(const domain::UseCase& use_case) {
  CC_TRY(check_time(use_case.created_at, "created_at"));
  CC_TRY(check_time(use_case.updated_at, "updated_at"));
  SqlRows rows = CC_TRY(
      run("create use case",
          "INSERT INTO use_cases (production_id, created_by, summary, declaration_json, "
          "declaration_digest, state, outcome, decision_json, policy_digest, engine_version, "
          "revision, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?) "
          "RETURNING id",
          {use_case.production_id, use_case.created_by, use_case.summary, use_case.declaration_json,
           use_case.declaration_digest, std::string(domain::use_case_state_name(use_case.state)),
           use_case.outcome, use_case.decision_json, use_case.policy_digest,
           use_case.engine_version, use_case.created_at, use_case.updated_at},
          {{}, "production or user not found"}));
  return inserted_id(rows);
}

Result<domain::UseCase> SqlTransaction::get_use_case(int64_t id) {
  SqlRows rows =
      CC_TRY(run("get use case", select(kUseCaseColumns, "FROM use_cases WHERE id = ?"), {id}));
  if (rows.empty()) {
    return missing("use case", id);
  }
  return read_use_case(rows[0]);
}

Status SqlTransaction::update_use_case(const domain::UseCase& use_case) {
  constexpr std::string_view kAction = "update use case";
  CC_TRY(check_time(use_case.updated_at, "updated_at"));
  SqlRows rows = CC_TRY(
      run(kAction,
          "UPDATE use_cases SET summary = ?, declaration_json = ?, declaration_digest = ?, "
          "state = ?, outcome = ?, decision_json = ?, policy_digest = ?, engine_version = ?, "
          "updated_at = ?, revision = revision + 1 WHERE id = ? AND revision = ? RETURNING id",
          {use_case.summary, use_case.declaration_json, use_case.declaration_digest,
           std::string(domain::use_case_state_name(use_case.state)), use_case.outcome,
           use_case.decision_json, use_case.policy_digest, use_case.engine_version,
           use_case.updated_at, use_case.id, use_case.revision}));
  if (!rows.empty()) {
    return {};
  }
  rows = CC_TRY(run(kAction, "SELECT revision FROM use_cases WHERE id = ?", {use_case.id}));
  if (rows.empty()) {
    return missing("use case", use_case.id);
  }
  int64_t stored = CC_TRY(single_integer(rows));
  return failed_precondition(
      "use case " + std::to_string(use_case.id) + " was changed meanwhile (revision " +
      std::to_string(use_case.revision) + " read, " + std::to_string(stored) + " stored)");
}

Result<std::vector<domain::UseCase>> SqlTransaction::list_use_cases(const UseCaseFilter& filter) {
  CC_TRY(check_limit(filter.limit));
  // Only the conditions in use appear, so that each shape of query can use its index.
  std::string sql = select(kUseCaseColumns, "FROM use_cases WHERE id > ?");
  std::vector<SqlValue> params = {filter.after_id};
  if (!filter.production_ids.empty()) {
    sql += " AND production_id IN (";
    for (size_t i = 0; i < filter.production_ids.size(); ++i) {
      sql += i == 0 ? "?" : ", ?";
      params.emplace_back(filter.production_ids[i]);
    }
    sql += ')';
  }
  if (filter.state.has_value()) {
    sql += " AND state = ?";
    params.emplace_back(std::string(domain::use_case_state_name(*filter.state)));
  }
  sql += " ORDER BY id LIMIT ?";
  params.emplace_back(int64_t{filter.limit});
  SqlRows rows = CC_TRY(run("list use cases", sql, params));
  return read_use_cases(rows);
}

Result<int64_t> SqlTransaction::append_use_case_event(const domain::UseCaseEvent& event) {
  CC_TRY(check_time(event.at, "at"));
  SqlRows rows =
      CC_TRY(run("append use case event",
                 "INSERT INTO use_case_events (use_case_id, actor_id, kind, from_state, to_state, "
                 "note, at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
                 {event.use_case_id, id_or_null(event.actor_id), event.kind, event.from_state,
                  event.to_state, event.note, event.at},
                 {{}, "use case or user not found"}));
  return inserted_id(rows);
}

Result<std::vector<domain::UseCaseEvent>> SqlTransaction::list_use_case_events(
    int64_t use_case_id) {
  SqlRows rows = CC_TRY(
      run("list use case events",
          select(kUseCaseEventColumns, "FROM use_case_events WHERE use_case_id = ? ORDER BY id"),
          {use_case_id}));
  return read_all<domain::UseCaseEvent>(rows, read_use_case_event);
}

Result<int64_t> SqlTransaction::add_comment(const domain::Comment& comment) {
  CC_TRY(check_time(comment.created_at, "created_at"));
  SqlRows rows =
      CC_TRY(run("add comment",
                 "INSERT INTO comments (use_case_id, author_id, body, created_at) "
                 "VALUES (?, ?, ?, ?) RETURNING id",
                 {comment.use_case_id, comment.author_id, comment.body, comment.created_at},
                 {{}, "use case or user not found"}));
  return inserted_id(rows);
}

Result<std::vector<domain::Comment>> SqlTransaction::list_comments(int64_t use_case_id) {
  SqlRows rows = CC_TRY(run(
      "list comments", select(kCommentColumns, "FROM comments WHERE use_case_id = ? ORDER BY id"),
      {use_case_id}));
  return read_all<domain::Comment>(rows, read_comment);
}

// Consents and approvals.

Result<int64_t> SqlTransaction::add_consent(const domain::Consent& consent) {
  CC_TRY(check_time(consent.created_at, "created_at"));
  CC_TRY(check_optional_time(consent.expires_at, "expires_at"));
  CC_TRY(check_optional_time(consent.revoked_at, "revoked_at"));
  SqlRows rows =
      CC_TRY(run("add consent",
                 "INSERT INTO consents (production_id, use_case_id, performer, kind, scope, "
                 "document_sha256, expires_at, revoked_at, recorded_by, created_at) "
                 "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                 {consent.production_id, id_or_null(consent.use_case_id), consent.performer,
                  std::string(domain::consent_kind_name(consent.kind)), consent.scope,
                  consent.document_sha256, text_or_null(consent.expires_at),
                  text_or_null(consent.revoked_at), consent.recorded_by, consent.created_at},
                 {{}, "production, use case of that production, or user not found"}));
  return inserted_id(rows);
}

Result<domain::Consent> SqlTransaction::get_consent(int64_t id) {
  SqlRows rows =
      CC_TRY(run("get consent", select(kConsentColumns, "FROM consents WHERE id = ?"), {id}));
  if (rows.empty()) {
    return missing("consent", id);
  }
  return read_consent(rows[0]);
}

Status SqlTransaction::revoke_consent(int64_t id, const std::string& revoked_at) {
  constexpr std::string_view kAction = "revoke consent";
  CC_TRY(check_time(revoked_at, "revoked_at"));
  SqlRows rows =
      CC_TRY(run(kAction,
                 "UPDATE consents SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL "
                 "RETURNING id",
                 {revoked_at, id}));
  if (!rows.empty()) {
    return {};
  }
  rows = CC_TRY(run(kAction, "SELECT id FROM consents WHERE id = ?", {id}));
  if (rows.empty()) {
    return missing("consent", id);
  }
  return failed_precondition("consent " + std::to_string(id) + " is already revoked");
}

Result<std::vector<domain::Consent>> SqlTransaction::list_consents(int64_t production_id) {
  SqlRows rows = CC_TRY(run(
      "list consents", select(kConsentColumns, "FROM consents WHERE production_id = ? ORDER BY id"),
      {production_id}));
  return read_all<domain::Consent>(rows, read_consent);
}

Result<int64_t> SqlTransaction::add_approval(const domain::Approval& approval) {
  CC_TRY(check_time(approval.created_at, "created_at"));
  CC_TRY(check_optional_time(approval.expires_at, "expires_at"));
  SqlRows rows = CC_TRY(run(
      "add approval",
      "INSERT INTO approvals (use_case_id, approver_id, granted, declaration_digest, conditions, "
      "scope_json, expires_at, outdated, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
      "RETURNING id",
      {approval.use_case_id, approval.approver_id, approval.granted, approval.declaration_digest,
       approval.conditions, approval.scope_json, text_or_null(approval.expires_at),
       approval.outdated, approval.created_at},
      {{}, "use case or user not found"}));
  return inserted_id(rows);
}

Result<std::vector<domain::Approval>> SqlTransaction::list_approvals(int64_t use_case_id) {
  SqlRows rows = CC_TRY(run(
      "list approvals",
      select(kApprovalColumns, "FROM approvals WHERE use_case_id = ? ORDER BY id"), {use_case_id}));
  return read_all<domain::Approval>(rows, read_approval);
}

Status SqlTransaction::mark_approvals_outdated(int64_t use_case_id) {
  constexpr std::string_view kAction = "mark approvals outdated";
  SqlRows rows = CC_TRY(run(kAction, "SELECT id FROM use_cases WHERE id = ?", {use_case_id}));
  if (rows.empty()) {
    return missing("use case", use_case_id);
  }
  CC_TRY(run(kAction, "UPDATE approvals SET outdated = ? WHERE use_case_id = ? AND NOT outdated",
             {true, use_case_id}));
  return {};
}

// Registered AI outputs.

Result<int64_t> SqlTransaction::create_asset(const domain::Asset& asset) {
  CC_TRY(check_time(asset.created_at, "created_at"));
  std::string frame_pdq;
  for (const std::string& code : asset.frame_pdq) {
    if (code.empty() || code.find(' ') != std::string::npos) {
      return base::invalid_argument("frame hashes are non-empty and without spaces")
          .with_field("frame_pdq");
    }
    frame_pdq += (frame_pdq.empty() ? "" : " ") + code;
  }
  SqlRows rows = CC_TRY(
      run("create asset",
          "INSERT INTO assets (production_id, use_case_id, file_name, media_type, sha256, pdq, "
          "pdq_quality, width, height, duration_ms, manifest_id, watermark_payload, status, "
          "created_by, created_at, thumbnail, frame_pdq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
          "?, ?, ?, "
          "?, ?, ?) "
          "RETURNING id",
          {asset.production_id, asset.use_case_id, asset.file_name, asset.media_type, asset.sha256,
           asset.pdq, int64_t{asset.pdq_quality}, int64_t{asset.width}, int64_t{asset.height},
           asset.duration_ms, asset.manifest_id, static_cast<int64_t>(asset.watermark_payload),
           std::string(domain::asset_status_name(asset.status)), asset.created_by, asset.created_at,
           asset.thumbnail, frame_pdq},
          {{}, "production, use case of that production, or user not found"}));
  return inserted_id(rows);
}

Result<domain::Asset> SqlTransaction::get_asset(int64_t id) {
  SqlRows rows = CC_TRY(run("get asset", select(kAssetColumns, "FROM assets WHERE id = ?"), {id}));
  if (rows.empty()) {
    return missing("asset", id);
  }
  return read_asset(rows[0]);
}

Result<std::vector<domain::Asset>> SqlTransaction::list_assets(int64_t production_id,
                                                               int64_t after_id, int limit) {
  CC_TRY(check_limit(limit));
  SqlRows rows = CC_TRY(run(
      "list assets",
      select(kAssetColumns, "FROM assets WHERE production_id = ? AND id > ? ORDER BY id LIMIT ?"),
      {production_id, after_id, int64_t{limit}}));
  return read_assets(rows);
}

Result<std::vector<domain::Asset>> SqlTransaction::list_assets_of_use_case(int64_t use_case_id) {
  SqlRows rows = CC_TRY(run("list assets",
                            select(kAssetColumns, "FROM assets WHERE use_case_id = ? ORDER BY id"),
                            {use_case_id}));
  return read_assets(rows);
}

Status SqlTransaction::set_asset_status(int64_t id, domain::AssetStatus status) {
  SqlRows rows =
      CC_TRY(run("set asset status", "UPDATE assets SET status = ? WHERE id = ? RETURNING id",
                 {std::string(domain::asset_status_name(status)), id}));
  if (rows.empty()) {
    return missing("asset", id);
  }
  return {};
}

// Delivery scans.

Result<int64_t> SqlTransaction::create_scan_job(const domain::ScanJob& job) {
  CC_TRY(check_time(job.submitted_at, "submitted_at"));
  if (job.paths.empty()) {
    return base::invalid_argument("a scan needs at least one path").with_field("paths");
  }
  for (const std::string& path : job.paths) {
    if (path.empty() || path.find('\0') != std::string::npos ||
        base::find_invalid_utf8(path).has_value()) {
      return base::invalid_argument("each path is non-empty UTF-8 text without NUL")
          .with_field("paths");
    }
  }
  if (job.stride < 1 || job.radius < 0) {
    return base::invalid_argument("stride must be at least 1 and radius at least 0");
  }
  SqlRows rows = CC_TRY(run(
      "create scan job",
      "INSERT INTO scan_jobs (production_id, paths_json, stride, radius, state, submitted_by, "
      "submitted_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
      {job.production_id, nlohmann::json(job.paths).dump(), int64_t{job.stride},
       int64_t{job.radius}, std::string(domain::scan_job_state_name(domain::ScanJobState::kQueued)),
       job.submitted_by, job.submitted_at},
      {{}, "production or user not found"}));
  return inserted_id(rows);
}

Result<domain::ScanJob> SqlTransaction::get_scan_job(int64_t id) {
  SqlRows rows =
      CC_TRY(run("get scan job", select(kScanJobColumns, "FROM scan_jobs WHERE id = ?"), {id}));
  if (rows.empty()) {
    return missing("scan job", id);
  }
  return read_scan_job(rows[0]);
}

Result<std::vector<domain::ScanJob>> SqlTransaction::list_scan_jobs(int64_t production_id,
                                                                    int64_t before_id, int limit) {
  CC_TRY(check_limit(limit));
  int64_t below = before_id > 0 ? before_id : std::numeric_limits<int64_t>::max();
  SqlRows rows = CC_TRY(run("list scan jobs",
                            select(kScanJobColumns,
                                   "FROM scan_jobs WHERE production_id = ? AND id < ? "
                                   "ORDER BY id DESC LIMIT ?"),
                            {production_id, below, int64_t{limit}}));
  return read_all<domain::ScanJob>(rows, read_scan_job);
}

Result<std::optional<domain::ScanJob>> SqlTransaction::claim_scan_job(
    const std::string& worker, const std::string& now, const std::string& stale_before) {
  constexpr std::string_view kAction = "claim scan job";
  CC_TRY(check_not_empty(worker, "worker"));
  CC_TRY(check_time(now, "now"));
  CC_TRY(check_time(stale_before, "stale_before"));
  // Jobs whose workers kept dying are given up rather than handed out forever.
  CC_TRY(run(
      kAction,
      "UPDATE scan_jobs SET state = 'error', finished_at = ?, error = ? "
      "WHERE state = 'running' AND heartbeat_at < ? AND attempts >= ?",
      {now,
       "abandoned: " + std::to_string(kMaxScanAttempts) + " workers stopped before finishing it",
       stale_before, int64_t{kMaxScanAttempts}}));
  std::string sql =
      "UPDATE scan_jobs SET state = 'running', worker = ?, attempts = attempts + 1, "
      "started_at = ?, heartbeat_at = ?, files_done = 0 WHERE id = (SELECT id FROM scan_jobs "
      "WHERE state = 'queued' OR (state = 'running' AND heartbeat_at < ?) ORDER BY id LIMIT 1" +
      std::string(dialect_.skip_locked) + ") RETURNING " + std::string(kScanJobColumns);
  SqlRows rows = CC_TRY(run(kAction, sql, {worker, now, now, stale_before}));
  if (rows.empty()) {
    return std::optional<domain::ScanJob>();
  }
  return std::optional<domain::ScanJob>(CC_TRY(read_scan_job(rows[0])));
}

Status SqlTransaction::heartbeat_scan_job(int64_t id, const std::string& worker,
                                          const std::string& now, int files_done, int files_total) {
  constexpr std::string_view kAction = "scan job heartbeat";
  CC_TRY(check_time(now, "now"));
  SqlRows rows =
      CC_TRY(run(kAction,
                 "UPDATE scan_jobs SET heartbeat_at = ?, files_done = ?, files_total = ? "
                 "WHERE id = ? AND worker = ? AND state = 'running' RETURNING id",
                 {now, int64_t{files_done}, int64_t{files_total}, id, worker}));
  if (!rows.empty()) {
    return {};
  }
  CC_TRY(get_scan_job(id));
  return failed_precondition("scan job " + std::to_string(id) + " is not running under " + worker);
}

Status SqlTransaction::release_scan_job(int64_t id, const std::string& worker) {
  constexpr std::string_view kAction = "release scan job";
  SqlRows rows = CC_TRY(run(kAction,
                            "UPDATE scan_jobs SET state = 'queued', worker = '', started_at = '', "
                            "heartbeat_at = '', files_done = 0, attempts = attempts - 1 "
                            "WHERE id = ? AND worker = ? AND state = 'running' RETURNING id",
                            {id, worker}));
  if (!rows.empty()) {
    return {};
  }
  CC_TRY(get_scan_job(id));
  return failed_precondition("scan job " + std::to_string(id) + " is not running under " + worker);
}

Status SqlTransaction::finish_scan_job(const domain::ScanJobResult& result) {
  constexpr std::string_view kAction = "finish scan job";
  CC_TRY(check_time(result.finished_at, "finished_at"));
  if (result.state != domain::ScanJobState::kFinished &&
      result.state != domain::ScanJobState::kError) {
    return base::invalid_argument("a scan job ends finished or in error").with_field("state");
  }
  SqlRows rows = CC_TRY(run(
      kAction,
      "UPDATE scan_jobs SET state = ?, passes = ?, summary_json = ?, report_json = ?, "
      "report_html = ?, error = ?, finished_at = ?, heartbeat_at = ?, files_done = ?, "
      "files_total = ? WHERE id = ? AND worker = ? AND state = 'running' RETURNING id",
      {std::string(domain::scan_job_state_name(result.state)), result.passes, result.summary_json,
       result.report_json, result.report_html, result.error, result.finished_at, result.finished_at,
       int64_t{result.files}, int64_t{result.files}, result.id, result.worker}));
  if (rows.empty()) {
    CC_TRY(get_scan_job(result.id));
    return failed_precondition("scan job " + std::to_string(result.id) + " is not running under " +
                               result.worker);
  }
  for (const domain::CrossProductionMatch& match : result.cross_production) {
    CC_TRY(run(
        "store cross-production match",
        "INSERT INTO scan_cross_production_matches (scan_job_id, scanning_production_id, "
        "production_id, asset_id, found_at, finding_json) SELECT id, production_id, ?, ?, "
        "?, ? FROM scan_jobs WHERE id = ?",
        {match.production_id, match.asset_id, result.finished_at, match.finding_json, result.id},
        {{}, "asset or production not found"}));
  }
  return {};
}

Result<std::string> SqlTransaction::get_scan_report(int64_t id, std::string_view format) {
  std::string column;
  if (format == "json") {
    column = "report_json";
  } else if (format == "html") {
    column = "report_html";
  } else {
    return base::invalid_argument("a report is json or html").with_field("format");
  }
  SqlRows rows = CC_TRY(
      run("get scan report", "SELECT state, " + column + " FROM scan_jobs WHERE id = ?", {id}));
  if (rows.empty()) {
    return missing("scan job", id);
  }
  SqlRowReader r(rows[0]);
  std::string state = r.text();
  std::string report = r.text();
  CC_TRY(r.status());
  if (state != "finished") {
    return base::not_found("scan job " + std::to_string(id) + " has no report (it is " + state +
                           ")");
  }
  return report;
}

namespace {

constexpr std::string_view kCrossProductionColumns =
    "id, scan_job_id, scanning_production_id, production_id, asset_id, found_at, finding_json";

Result<domain::CrossProductionMatch> read_cross_production_match(const SqlRow& row) {
  SqlRowReader r(row);
  domain::CrossProductionMatch match;
  match.id = r.int64();
  match.scan_job_id = r.int64();
  match.scanning_production_id = r.int64();
  match.production_id = r.int64();
  match.asset_id = r.int64();
  match.found_at = r.text();
  match.finding_json = r.text();
  CC_TRY(r.status());
  return match;
}

}  // namespace

Result<std::vector<domain::CrossProductionMatch>> SqlTransaction::list_cross_production_matches(
    int64_t production_id, int64_t before_id, int limit) {
  CC_TRY(check_limit(limit));
  int64_t below = before_id > 0 ? before_id : std::numeric_limits<int64_t>::max();
  SqlRows rows = CC_TRY(run("list cross-production matches",
                            select(kCrossProductionColumns,
                                   "FROM scan_cross_production_matches WHERE production_id = ? "
                                   "AND id < ? ORDER BY id DESC LIMIT ?"),
                            {production_id, below, int64_t{limit}}));
  return read_all<domain::CrossProductionMatch>(rows, read_cross_production_match);
}

// API tokens and web sessions.

Result<int64_t> SqlTransaction::create_token(const domain::ApiToken& token) {
  CC_TRY(check_not_empty(token.token_hash, "token_hash"));
  CC_TRY(check_time(token.created_at, "created_at"));
  CC_TRY(check_optional_time(token.last_used_at, "last_used_at"));
  SqlRows rows = CC_TRY(run("create token",
                            "INSERT INTO api_tokens (user_id, name, token_hash, created_at, "
                            "last_used_at, revoked) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                            {token.user_id, token.name, token.token_hash, token.created_at,
                             text_or_null(token.last_used_at), token.revoked},
                            {"a token with this hash already exists", "user not found"}));
  return inserted_id(rows);
}

Result<std::optional<domain::ApiToken>> SqlTransaction::find_token_by_hash(
    const std::string& token_hash) {
  SqlRows rows = CC_TRY(run(
      "find token", select(kTokenColumns, "FROM api_tokens WHERE token_hash = ?"), {token_hash}));
  if (rows.empty()) {
    return std::optional<domain::ApiToken>();
  }
  return std::optional<domain::ApiToken>(CC_TRY(read_token(rows[0])));
}

Result<std::vector<domain::ApiToken>> SqlTransaction::list_tokens(int64_t user_id) {
  SqlRows rows = CC_TRY(run("list tokens",
                            select(kTokenColumns, "FROM api_tokens WHERE user_id = ? ORDER BY id"),
                            {user_id}));
  return read_all<domain::ApiToken>(rows, read_token);
}

Status SqlTransaction::revoke_token(int64_t id) {
  SqlRows rows = CC_TRY(run(
      "revoke token", "UPDATE api_tokens SET revoked = ? WHERE id = ? RETURNING id", {true, id}));
  if (rows.empty()) {
    return missing("token", id);
  }
  return {};
}

Status SqlTransaction::touch_token(int64_t id, const std::string& last_used_at) {
  CC_TRY(check_time(last_used_at, "last_used_at"));
  SqlRows rows =
      CC_TRY(run("touch token", "UPDATE api_tokens SET last_used_at = ? WHERE id = ? RETURNING id",
                 {last_used_at, id}));
  if (rows.empty()) {
    return missing("token", id);
  }
  return {};
}

Status SqlTransaction::create_session(const domain::Session& session) {
  CC_TRY(check_not_empty(session.id_hash, "id_hash"));
  CC_TRY(check_time(session.created_at, "created_at"));
  CC_TRY(check_time(session.expires_at, "expires_at"));
  CC_TRY(run("create session",
             "INSERT INTO sessions (id_hash, user_id, csrf_token, created_at, expires_at) "
             "VALUES (?, ?, ?, ?, ?)",
             {session.id_hash, session.user_id, session.csrf_token, session.created_at,
              session.expires_at},
             {"a session with this id already exists", "user not found"}));
  return {};
}

Result<std::optional<domain::Session>> SqlTransaction::find_session(const std::string& id_hash) {
  SqlRows rows = CC_TRY(
      run("find session", select(kSessionColumns, "FROM sessions WHERE id_hash = ?"), {id_hash}));
  if (rows.empty()) {
    return std::optional<domain::Session>();
  }
  return std::optional<domain::Session>(CC_TRY(read_session(rows[0])));
}

Status SqlTransaction::delete_session(const std::string& id_hash) {
  SqlRows rows = CC_TRY(
      run("delete session", "DELETE FROM sessions WHERE id_hash = ? RETURNING id_hash", {id_hash}));
  if (rows.empty()) {
    return base::not_found("delete session: session not found");
  }
  return {};
}

// The audit log.

Result<uint64_t> SqlTransaction::count_audit_events(std::string_view action) {
  SqlRows rows = CC_TRY(run(action, "SELECT COALESCE(MAX(sequence) + 1, 0) FROM audit_events", {}));
  int64_t size = CC_TRY(single_integer(rows));
  if (size < 0) {
    return data_loss("audit log size is negative");
  }
  return static_cast<uint64_t>(size);
}

// No lock: readers (proofs, checkpoints catching up) must never hold up the writers.
Result<uint64_t> SqlTransaction::audit_size() {
  return count_audit_events("audit log size");
}

Result<uint64_t> SqlTransaction::append_audit_event(const audit::AuditEvent& event,
                                                    const std::string& leaf_hash) {
  constexpr std::string_view kAction = "append audit event";
  // Under the lock, READ COMMITTED's next statement sees every append committed before it:
  // the size is the next sequence, and stays ours until commit.
  CC_TRY(lock(kAction, kAuditLogLock));
  uint64_t sequence = CC_TRY(count_audit_events(kAction));
  audit::AuditEvent stored = event;
  stored.sequence = sequence;
  Result<audit::Hash> computed = audit::audit_event_leaf_hash(stored);
  if (!computed.has_value()) {
    return std::move(computed).error().with_context(kAction);
  }
  std::string computed_hex = base::to_hex(*computed);
  if (!leaf_hash.empty() && event.sequence == sequence && ascii_lower(leaf_hash) != computed_hex) {
    return base::invalid_argument(std::string(kAction) + ": the leaf hash does not match the event")
        .with_field("leaf_hash");
  }
  CC_TRY(run(kAction,
             "INSERT INTO audit_events (sequence, time, actor, action, subject_type, subject_id, "
             "payload_json, leaf_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
             {static_cast<int64_t>(sequence), stored.time, stored.actor, stored.action,
              stored.subject_type, stored.subject_id, stored.payload_json, computed_hex}));
  return sequence;
}

Result<std::vector<AuditRecord>> SqlTransaction::list_audit_events(uint64_t from, uint64_t limit) {
  constexpr auto kMax = static_cast<uint64_t>(std::numeric_limits<int64_t>::max());
  if (from > kMax || limit == 0) {
    return std::vector<AuditRecord>();
  }
  SqlRows rows = CC_TRY(
      run("list audit events",
          select(kAuditColumns, "FROM audit_events WHERE sequence >= ? ORDER BY sequence LIMIT ?"),
          {static_cast<int64_t>(from), static_cast<int64_t>(std::min(limit, kMax))}));
  return read_all<AuditRecord>(rows, read_audit_record);
}

Status SqlTransaction::append_checkpoint(const CheckpointRecord& checkpoint) {
  constexpr std::string_view kAction = "append checkpoint";
  CC_TRY(check_time(checkpoint.created_at, "created_at"));
  CC_TRY(check_not_empty(checkpoint.note, "note"));
  CC_TRY(lock(kAction, kAuditLogLock));
  uint64_t size = CC_TRY(count_audit_events(kAction));
  if (checkpoint.tree_size > size) {
    return failed_precondition(std::string(kAction) + ": a checkpoint of " +
                               std::to_string(checkpoint.tree_size) + " events, but the log has " +
                               std::to_string(size));
  }
  std::optional<CheckpointRecord> latest = CC_TRY(latest_checkpoint());
  if (latest && checkpoint.tree_size < latest->tree_size) {
    return failed_precondition(std::string(kAction) + ": checkpoints only grow; the latest has " +
                               std::to_string(latest->tree_size) + " events");
  }
  CC_TRY(run(kAction, "INSERT INTO checkpoints (tree_size, note, created_at) VALUES (?, ?, ?)",
             {static_cast<int64_t>(checkpoint.tree_size), checkpoint.note, checkpoint.created_at},
             {"a checkpoint of this tree size already exists", {}}));
  return {};
}

Result<std::vector<CheckpointRecord>> SqlTransaction::list_checkpoints() {
  SqlRows rows = CC_TRY(run("list checkpoints",
                            select(kCheckpointColumns, "FROM checkpoints ORDER BY tree_size"), {}));
  return read_all<CheckpointRecord>(rows, read_checkpoint);
}

Result<std::optional<CheckpointRecord>> SqlTransaction::latest_checkpoint() {
  SqlRows rows = CC_TRY(
      run("latest checkpoint",
          select(kCheckpointColumns, "FROM checkpoints ORDER BY tree_size DESC LIMIT 1"), {}));
  if (rows.empty()) {
    return std::optional<CheckpointRecord>();
  }
  return std::optional<CheckpointRecord>(CC_TRY(read_checkpoint(rows[0])));
}

}  // namespace clearcut::store::sql
