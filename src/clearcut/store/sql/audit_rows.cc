#include "clearcut/store/sql/audit_rows.h"

#include <algorithm>
#include <limits>
#include <string>

#include "clearcut/base/hex.h"
#include "clearcut/base/text.h"
#include "clearcut/domain/validation.h"
#include "clearcut/store/sql/table.h"

namespace clearcut::store::sql {
namespace {

using base::Result;
using base::Status;

// Sequences and tree sizes are stored as signed 64-bit integers and are never negative.
bool read_sequence(SqlRowReader& reader, AuditRecord& record) {
  int64_t value = reader.int64();
  record.event.sequence = static_cast<uint64_t>(value);
  return value >= 0;
}

SqlValue write_sequence(const AuditRecord& record) {
  return static_cast<int64_t>(record.event.sequence);
}

template <std::string audit::AuditEvent::*Member>
constexpr Column<AuditRecord> event_field(std::string_view name) {
  return {name,
          [](SqlRowReader& r, AuditRecord& record) {
            record.event.*Member = r.text();
            return true;
          },
          [](const AuditRecord& record) {
            return SqlValue(record.event.*Member);
          }};
}

bool read_tree_size(SqlRowReader& reader, CheckpointRecord& checkpoint) {
  int64_t value = reader.int64();
  checkpoint.tree_size = static_cast<uint64_t>(value);
  return value >= 0;
}

SqlValue write_tree_size(const CheckpointRecord& checkpoint) {
  return static_cast<int64_t>(checkpoint.tree_size);
}

constexpr auto kEvents = table<AuditRecord>(
    "audit_events", Column<AuditRecord>{"sequence", read_sequence, write_sequence},
    event_field<&audit::AuditEvent::time>("time"), event_field<&audit::AuditEvent::actor>("actor"),
    event_field<&audit::AuditEvent::action>("action"),
    event_field<&audit::AuditEvent::subject_type>("subject_type"),
    event_field<&audit::AuditEvent::subject_id>("subject_id"),
    event_field<&audit::AuditEvent::payload_json>("payload_json"),
    field<&AuditRecord::leaf_hash>("leaf_hash"));

constexpr auto kCheckpoints = table<CheckpointRecord>(
    "checkpoints", Column<CheckpointRecord>{"tree_size", read_tree_size, write_tree_size},
    field<&CheckpointRecord::note>("note"), field<&CheckpointRecord::created_at>("created_at"));

// The log's size as the statement sees it.
Result<uint64_t> count_events(Statements& statements, std::string_view action) {
  SqlRows rows =
      CC_TRY(statements.run(action, "SELECT COALESCE(MAX(sequence) + 1, 0) FROM audit_events", {}));
  int64_t size = CC_TRY(single_integer(rows));
  if (size < 0) {
    return data_loss("audit log size is negative");
  }
  return static_cast<uint64_t>(size);
}

}  // namespace

// No lock: readers (proofs, checkpoints catching up) must never hold up the writers.
Result<uint64_t> SqlAuditRecords::size() {
  return count_events(statements_, "audit log size");
}

Result<uint64_t> SqlAuditRecords::append(const audit::AuditEvent& event,
                                         const std::string& leaf_hash) {
  constexpr std::string_view kAction = "append audit event";
  // Under the lock, READ COMMITTED's next statement sees every append committed before it:
  // the size is the next sequence, and stays ours until commit.
  CC_TRY(statements_.lock(kAction, kAuditLogLock));
  uint64_t sequence = CC_TRY(count_events(statements_, kAction));
  AuditRecord stored{event, {}};
  stored.event.sequence = sequence;
  Result<audit::Hash> computed = audit::audit_event_leaf_hash(stored.event);
  if (!computed.has_value()) {
    return std::move(computed).error().with_context(kAction);
  }
  stored.leaf_hash = base::to_hex(*computed);
  if (!leaf_hash.empty() && event.sequence == sequence &&
      base::ascii_lower(leaf_hash) != stored.leaf_hash) {
    return base::invalid_argument(std::string(kAction) + ": the leaf hash does not match the event")
        .with_field("leaf_hash");
  }
  CC_TRY(statements_.run(kAction, kEvents.insert(""), kEvents.values(stored)));
  return sequence;
}

Result<std::vector<AuditRecord>> SqlAuditRecords::list(uint64_t from, uint64_t limit) {
  constexpr auto kMax = static_cast<uint64_t>(std::numeric_limits<int64_t>::max());
  if (from > kMax || limit == 0) {
    return std::vector<AuditRecord>();
  }
  return kEvents.read_all(CC_TRY(statements_.run(
      "list audit events", kEvents.select("WHERE sequence >= ? ORDER BY sequence LIMIT ?"),
      {static_cast<int64_t>(from), static_cast<int64_t>(std::min(limit, kMax))})));
}

Result<std::optional<AuditRecord>> SqlAuditRecords::find_first(std::string_view action,
                                                               std::string_view subject_type,
                                                               std::string_view subject_id) {
  return kEvents.read_first(CC_TRY(
      statements_.run("find audit event",
                      kEvents.select("WHERE subject_type = ? AND subject_id = ? AND action = ? "
                                     "ORDER BY sequence LIMIT 1"),
                      {std::string(subject_type), std::string(subject_id), std::string(action)})));
}

Status SqlAuditRecords::append_checkpoint(const CheckpointRecord& checkpoint) {
  constexpr std::string_view kAction = "append checkpoint";
  CC_TRY(domain::check_time(checkpoint.created_at, "created_at"));
  CC_TRY(domain::check_not_empty(checkpoint.note, "note"));
  CC_TRY(statements_.lock(kAction, kAuditLogLock));
  uint64_t size = CC_TRY(count_events(statements_, kAction));
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
  CC_TRY(statements_.run(kAction, kCheckpoints.insert(""), kCheckpoints.values(checkpoint),
                         {"a checkpoint of this tree size already exists", {}}));
  return {};
}

Result<std::vector<CheckpointRecord>> SqlAuditRecords::list_checkpoints() {
  return kCheckpoints.read_all(
      CC_TRY(statements_.run("list checkpoints", kCheckpoints.select("ORDER BY tree_size"), {})));
}

Result<std::optional<CheckpointRecord>> SqlAuditRecords::latest_checkpoint() {
  return kCheckpoints.read_first(CC_TRY(statements_.run(
      "latest checkpoint", kCheckpoints.select("ORDER BY tree_size DESC LIMIT 1"), {})));
}

}  // namespace clearcut::store::sql
