#pragma once

#include <string>
#include <string_view>

#include "clearcut/exports/title_exports.h"

namespace clearcut::exports {

// One CSV field (RFC 4180): quoted when it holds a comma, a quote, CR or LF (quotes doubled).
// A field that a spreadsheet would take for a formula (it starts with = + - @, or a tab or CR
// that some read past) gets a leading single quote first, so user text cannot run as one.
std::string csv_field(std::string_view text);

// The report as RFC 4180 CSV with CRLF line ends and a header row: one row per place the
// latest scan found a cleared output (one row with empty timecodes when it found it nowhere),
// then one row per finding that is not cleared, told apart by the first column, `section`
// ("cleared" or "not_cleared"). Every row names the scan and when the report was generated.
std::string disclosure_csv(const DisclosureReport& report);

}  // namespace clearcut::exports
