#include "clearcut/exports/wording.h"

namespace clearcut::exports {
namespace {

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& item : items) {
    out += (out.empty() ? "" : ", ") + item;
  }
  return out;
}

}  // namespace

std::string scope_text(const domain::ApprovalScope& scope) {
  std::string out = scope.final_use ? "final use" : "not for final use";
  if (!scope.deliverables.empty()) {
    out += "; deliverables: " + joined(scope.deliverables);
  }
  out += scope.outputs ? "; outputs: " + joined(*scope.outputs) : "; every output of the use case";
  return out;
}

std::string timecodes_text(const Sighting& sighting) {
  return sighting.start_timecode + "\u2013" + sighting.end_timecode +
         (sighting.track == "audio" ? " (sound)" : "");
}

}  // namespace clearcut::exports
