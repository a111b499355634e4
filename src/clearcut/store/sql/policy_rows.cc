#include "clearcut/store/sql/policy_rows.h"

#include <charconv>
#include <string>

#include "clearcut/domain/validation.h"
#include "clearcut/store/sql/table.h"

namespace clearcut::store::sql {
namespace {

using base::Result;
using base::Status;
using domain::Tool;

// Tool facts are small integers in the stage slots; stored as "1,0,-1,-1". Slots added by a
// later version read as absent from rows written before them.
SqlValue write_scalars(const Tool& tool) {
  std::string out;
  for (size_t i = 0; i < tool.scalars.size(); ++i) {
    out += i > 0 ? "," : "";
    out += std::to_string(tool.scalars[i]);
  }
  return out;
}

bool read_scalars(SqlRowReader& reader, Tool& tool) {
  std::string stored = reader.text();
  std::string_view text = stored;
  tool.scalars.fill(domain::kAbsent);
  size_t slot = 0;
  while (!text.empty()) {
    size_t comma = text.find(',');
    std::string_view item = text.substr(0, comma);
    int value = 0;
    auto [end, ec] = std::from_chars(item.data(), item.data() + item.size(), value);
    if (ec != std::errc() || end != item.data() + item.size() || value < -128 || value > 127 ||
        slot >= tool.scalars.size()) {
      return false;
    }
    tool.scalars[slot++] = static_cast<int8_t>(value);
    text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
  }
  return true;
}

constexpr auto kTools = table<Tool>(
    "tools", field<&Tool::id>("id"), field<&Tool::name>("name"), field<&Tool::vendor>("vendor"),
    field<&Tool::license_tier>("license_tier"), field<&Tool::reviewed_on>("reviewed_on"),
    Column<Tool>{"scalars", read_scalars, write_scalars});

constexpr auto kPacks = table<PolicyPackRecord>(
    "policy_packs", key<&PolicyPackRecord::id>("id"), field<&PolicyPackRecord::name>("name"),
    field<&PolicyPackRecord::version>("version"), field<&PolicyPackRecord::digest>("digest"),
    field<&PolicyPackRecord::active>("active"),
    optional_field<&PolicyPackRecord::loaded_by>("loaded_by"),
    field<&PolicyPackRecord::loaded_at>("loaded_at"), field<&PolicyPackRecord::text>("text"));

}  // namespace

// The tool registry.

Status SqlPolicyRecords::upsert_tool(const Tool& tool) {
  CC_TRY(domain::check_not_empty(tool.id, "id"));
  CC_TRY(statements_.run("upsert tool", kTools.upsert("id"), kTools.values(tool)));
  return {};
}

Status SqlPolicyRecords::delete_tool(const std::string& id) {
  SqlRows rows =
      CC_TRY(statements_.run("delete tool", "DELETE FROM tools WHERE id = ? RETURNING id", {id}));
  if (rows.empty()) {
    return base::not_found("tool " + id + " not found");
  }
  return {};
}

Result<std::vector<Tool>> SqlPolicyRecords::list_tools() {
  return kTools.read_all(CC_TRY(statements_.run("list tools", kTools.select("ORDER BY id"), {})));
}

// Policy packs.

Result<int64_t> SqlPolicyRecords::insert_policy_pack(const PolicyPackRecord& pack) {
  constexpr std::string_view kAction = "insert policy pack";
  CC_TRY(domain::check_time(pack.loaded_at, "loaded_at"));
  CC_TRY(statements_.lock(kAction, kPolicyPackLock));
  PolicyPackRecord stored = pack;
  if (stored.active) {
    CC_TRY(statements_.run(kAction, "UPDATE policy_packs SET active = ? WHERE active", {false}));
  } else {
    // The first pack stored becomes the active one: exactly one is active once any is stored.
    SqlRows rows = CC_TRY(statements_.run(kAction, "SELECT id FROM policy_packs WHERE active", {}));
    stored.active = rows.empty();
  }
  return single_integer(CC_TRY(
      statements_.run(kAction, kPacks.insert(), kPacks.values(stored), {{}, "user not found"})));
}

Result<std::optional<PolicyPackRecord>> SqlPolicyRecords::active_policy_pack() {
  return kPacks.read_first(CC_TRY(
      statements_.run("get active policy pack", kPacks.select("WHERE active ORDER BY id"), {})));
}

Result<PolicyPackRecord> SqlPolicyRecords::get_policy_pack(int64_t id) {
  SqlRows rows = CC_TRY(statements_.run("get policy pack", kPacks.select("WHERE id = ?"), {id}));
  if (rows.empty()) {
    return missing("policy pack", id);
  }
  return kPacks.read(rows[0]);
}

Result<std::vector<PolicyPackRecord>> SqlPolicyRecords::list_policy_packs() {
  return kPacks.read_all(
      CC_TRY(statements_.run("list policy packs", kPacks.select("ORDER BY id", "text"), {})));
}

Status SqlPolicyRecords::activate_policy_pack(int64_t id) {
  constexpr std::string_view kAction = "activate policy pack";
  CC_TRY(statements_.lock(kAction, kPolicyPackLock));
  SqlRows rows = CC_TRY(statements_.run(kAction, "SELECT id FROM policy_packs WHERE id = ?", {id}));
  if (rows.empty()) {
    return missing("policy pack", id);
  }
  // Deactivate first: the partial unique index allows one active row at any moment.
  CC_TRY(statements_.run(kAction, "UPDATE policy_packs SET active = ? WHERE active AND id <> ?",
                         {false, id}));
  CC_TRY(statements_.run(kAction, "UPDATE policy_packs SET active = ? WHERE id = ?", {true, id}));
  return {};
}

}  // namespace clearcut::store::sql
