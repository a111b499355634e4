#pragma once

#include <string>

#include "clearcut/scan/registry.h"
#include "clearcut/scan/scanner.h"

namespace clearcut::scan {

// Gives a finding its verdict and reason (docs/scan-report.md, "Verdicts") from the asset it
// names, that asset's status and its use case's approvals at `now` (RFC 3339). A finding that
// names another production's asset keeps only what the scanning production may see: its asset
// moves to Finding::elsewhere and its signal details are dropped. A registered asset found by
// PDQ alone is marked (Finding::pdq_only) and its reason says so.
void judge(Finding& finding, const Registry& registry, const std::string& now);

}  // namespace clearcut::scan
