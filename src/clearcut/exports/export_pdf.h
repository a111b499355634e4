#pragma once

// A title's exports as PDF for people (report_pdf lays them out): what the JSON says, in words
// and tables. The JSON stays the record; the dossier's PDF points to it for the certificates'
// proofs.

#include <string>

#include "clearcut/base/result.h"
#include "clearcut/exports/title_exports.h"

namespace clearcut::exports {

base::Result<std::string> disclosure_pdf(const DisclosureReport& report);
base::Result<std::string> dossier_pdf(const Dossier& dossier);

}  // namespace clearcut::exports
