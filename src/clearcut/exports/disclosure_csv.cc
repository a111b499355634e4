#include "clearcut/exports/disclosure_csv.h"

#include <iterator>
#include <vector>

#include "clearcut/base/result.h"
#include "clearcut/exports/wording.h"

namespace clearcut::exports {
namespace {

constexpr const char* kColumns[] = {"section",
                                    "asset_id",
                                    "file_name",
                                    "media_type",
                                    "sha256",
                                    "digital_source_type",
                                    "use_case_id",
                                    "use_case_summary",
                                    "outcome",
                                    "approval_id",
                                    "approved_by",
                                    "signed_as",
                                    "approved_at",
                                    "scope",
                                    "conditions",
                                    "approval_expires_at",
                                    "approval_in_force",
                                    "file",
                                    "track",
                                    "start_timecode",
                                    "end_timecode",
                                    "verdict",
                                    "reason",
                                    "scan_id",
                                    "generated_at"};

void append_row(std::string& out, const std::vector<std::string>& cells) {
  CC_CHECK(cells.size() == std::size(kColumns));
  for (size_t i = 0; i < cells.size(); ++i) {
    out += (i > 0 ? "," : "") + csv_field(cells[i]);
  }
  out += "\r\n";
}

std::string id_text(int64_t id) {
  return id == 0 ? std::string() : std::to_string(id);
}

}  // namespace

std::string csv_field(std::string_view text) {
  std::string field;
  if (!text.empty() && (text[0] == '=' || text[0] == '+' || text[0] == '-' || text[0] == '@' ||
                        text[0] == '\t' || text[0] == '\r')) {
    field += '\'';
  }
  field += text;
  if (field.find_first_of(",\"\r\n") == std::string::npos) {
    return field;
  }
  std::string quoted = "\"";
  for (char c : field) {
    quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  }
  return quoted + "\"";
}

std::string disclosure_csv(const DisclosureReport& report) {
  std::string out;
  append_row(out, std::vector<std::string>(std::begin(kColumns), std::end(kColumns)));
  const std::string scan_id = report.scan ? std::to_string(report.scan->id) : std::string();
  for (const ClearedOutput& output : report.cleared) {
    const domain::Asset& a = output.asset;
    const domain::UseCase& u = output.use_case;
    std::vector<std::string> cells = {"cleared",
                                      std::to_string(a.id),
                                      a.file_name,
                                      a.media_type,
                                      a.sha256,
                                      output.digital_source_type,
                                      std::to_string(u.id),
                                      u.summary,
                                      std::string(domain::use_case_outcome_text(u.outcome))};
    if (output.approval) {
      const domain::Approval& approval = *output.approval;
      cells.insert(cells.end(),
                   {std::to_string(approval.id), output.approver_name, approval.signer_name,
                    approval.created_at, scope_text(approval.scope), approval.conditions,
                    approval.expires_at, output.approval_in_force ? "yes" : "no"});
    } else {
      cells.insert(cells.end(), {"", "", "", "", "", "", "", "no"});
    }
    std::vector<Sighting> sightings = output.sightings;
    if (sightings.empty()) {
      sightings.push_back({});  // one row: not found by the scan
    }
    for (const Sighting& s : sightings) {
      std::vector<std::string> row = cells;
      row.insert(row.end(), {s.path, s.track, s.start_timecode, s.end_timecode, s.verdict, s.reason,
                             scan_id, report.generated_at});
      append_row(out, row);
    }
  }
  for (const Sighting& s : report.not_cleared) {
    std::vector<std::string> row = {"not_cleared", id_text(s.asset_id), s.asset_name};
    row.resize(std::size(kColumns) - 8);  // nothing about a use case or an approval
    row.insert(row.end(), {s.path, s.track, s.start_timecode, s.end_timecode, s.verdict, s.reason,
                           scan_id, report.generated_at});
    append_row(out, row);
  }
  return out;
}

}  // namespace clearcut::exports
