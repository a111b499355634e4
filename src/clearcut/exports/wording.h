#pragma once

// How the exports word what they show, the same in the CSV and the PDFs.

#include <string>

#include "clearcut/domain/approval_scope.h"
#include "clearcut/exports/title_exports.h"

namespace clearcut::exports {

// "final use; deliverables: EP101, trailer; outputs: 7, 9", or "not for final use" when the
// scope does not clear anything for final use.
std::string scope_text(const domain::ApprovalScope& scope);

// "00:01:02:03–00:01:04:00" (picture), with " (sound)" for an audio finding.
std::string timecodes_text(const Sighting& sighting);

}  // namespace clearcut::exports
