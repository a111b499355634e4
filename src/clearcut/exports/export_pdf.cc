#include "clearcut/exports/export_pdf.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "clearcut/domain/declaration.h"
#include "clearcut/exports/wording.h"
#include "clearcut/report_pdf/report_document.h"

namespace clearcut::exports {
namespace {

using nlohmann::json;
using report_pdf::ReportDocument;
using report_pdf::Table;

std::string title_of(const domain::Production& p) {
  return p.title.empty() ? p.code : p.title + " (" + p.code + ")";
}

std::string or_dash(const std::string& text) {
  return text.empty() ? "\u2014" : text;
}

std::string name_of(const std::map<int64_t, std::string>& names, int64_t id) {
  auto it = names.find(id);
  return it == names.end() ? "user " + std::to_string(id) : it->second;
}

// "provisional in final": a verdict as words, which a narrow column can wrap.
std::string verdict_words(std::string verdict) {
  std::replace(verdict.begin(), verdict.end(), '_', ' ');
  return verdict;
}

std::string scan_sentence(const DisclosureReport& report) {
  if (!report.scan) {
    return "No delivery scan of this production has finished yet, so no timecodes are given.";
  }
  std::string paths;
  for (const std::string& p : report.scan->paths) {
    paths += (paths.empty() ? "" : ", ") + p;
  }
  return "Timecodes from scan " + std::to_string(report.scan->id) + " of " + paths + ", finished " +
         report.scan->finished_at + ": the delivery " +
         (report.scan->passes ? "passes." : "FAILS.");
}

void cleared_section(ReportDocument& doc, const DisclosureReport& report) {
  doc.heading("Cleared AI outputs (" + std::to_string(report.cleared.size()) + ")", 2);
  if (report.cleared.empty()) {
    doc.paragraph("No output of this production is cleared for final use.");
    return;
  }
  Table table{{"Output", "Use case", "Approval", "Found in the scan at"}, {3, 3, 3.4, 2.4}, {}};
  for (const ClearedOutput& o : report.cleared) {
    std::string output =
        o.asset.file_name.empty() ? "asset " + std::to_string(o.asset.id) : o.asset.file_name;
    output += "\n#" + std::to_string(o.asset.id) + " " + o.asset.media_type +
              "\nsource type: " + or_dash(o.digital_source_type) + "\nSHA-256 " + o.asset.sha256;
    std::string use_case =
        "#" + std::to_string(o.use_case.id) + " " + o.use_case.summary +
        "\noutcome: " + or_dash(std::string(domain::use_case_outcome_text(o.use_case.outcome)));
    std::string approval = "none on record";
    if (o.approval) {
      const domain::Approval& a = *o.approval;
      approval = "#" + std::to_string(a.id) + " by " + o.approver_name + "\nsigned as " +
                 a.signer_name + "\n" + a.created_at + "\nscope: " + scope_text(a.scope) +
                 "\nconditions: " + or_dash(a.conditions) +
                 "\nexpires: " + (a.expires_at.empty() ? "never" : a.expires_at) +
                 (o.approval_in_force ? "" : "\nNO LONGER CLEARS THIS OUTPUT");
    }
    std::string found;
    for (const Sighting& s : o.sightings) {
      found += (found.empty() ? "" : "\n") + s.path + " " + timecodes_text(s) +
               (s.verdict == "cleared" ? "" : " [" + verdict_words(s.verdict) + "]");
    }
    if (found.empty()) {
      found = report.scan ? "not found in the scan" : "no scan";
    }
    table.rows.push_back({output, use_case, approval, found});
  }
  doc.table(std::move(table));
}

void not_cleared_section(ReportDocument& doc, const DisclosureReport& report) {
  doc.heading("Found in the latest scan and not cleared (" +
                  std::to_string(report.not_cleared.size()) + ")",
              2);
  if (!report.scan) {
    doc.paragraph("No scan: nothing to list.");
    return;
  }
  if (report.not_cleared.empty()) {
    doc.paragraph("Every finding of scan " + std::to_string(report.scan->id) + " is cleared.");
    return;
  }
  Table table{{"File", "Timecodes", "Material", "Verdict", "Why"}, {2.2, 2, 1.8, 2.8, 2.8}, {}};
  for (const Sighting& s : report.not_cleared) {
    std::string material = s.asset_id == 0 ? "not registered for this production"
                                           : "#" + std::to_string(s.asset_id) + " " + s.asset_name;
    table.rows.push_back({s.path, timecodes_text(s), material, verdict_words(s.verdict), s.reason});
  }
  doc.table(std::move(table));
}

// The decision's headline and fired rules, from the stored decision JSON.
void decision_part(ReportDocument& doc, const domain::UseCase& use_case) {
  json decision = json::parse(use_case.decision_json, nullptr, false);
  if (!decision.is_object()) {
    doc.paragraph("No decision yet (a draft).");
    return;
  }
  doc.paragraph("Decision: " + decision.value("headline", std::string()) + " Policy " +
                use_case.policy_digest.substr(0, 16) + ", engine " + use_case.engine_version + ".");
  const json rules = decision.contains("rules") && decision["rules"].is_array() ? decision["rules"]
                                                                                : json::array();
  if (rules.empty()) {
    return;
  }
  Table table{{"Rule", "Outcome", "Why"}, {1.4, 1.2, 5}, {}};
  for (const json& rule : rules) {
    if (rule.is_object()) {
      table.rows.push_back({rule.value("id", std::string()), rule.value("outcome", std::string()),
                            rule.value("why", std::string())});
    }
  }
  doc.table(std::move(table));
}

void approvals_part(ReportDocument& doc, const DossierUseCase& entry,
                    const std::map<int64_t, std::string>& names) {
  if (entry.approvals.empty()) {
    return;
  }
  Table table{{"Approval", "By", "Scope and conditions", "Certificate"}, {1.6, 2, 3, 3}, {}};
  for (const domain::Approval& a : entry.approvals) {
    std::string what = "#" + std::to_string(a.id) + (a.granted ? " granted " : " refused ") +
                       a.created_at + (a.outdated ? "\noutdated by an edit" : "") +
                       "\nexpires: " + (a.expires_at.empty() ? "never" : a.expires_at);
    std::string by = name_of(names, a.approver_id) + "\nsigned \"" + a.signer_name +
                     "\"\nreason: " + or_dash(a.reason);
    std::string scope = scope_text(a.scope) + "\nconditions: " + or_dash(a.conditions);
    std::string certificate = "none";
    auto it = entry.certificates.find(a.id);
    if (it != entry.certificates.end()) {
      json c = json::parse(it->second, nullptr, false);
      const json log = c.is_object() && c.contains("audit_log") ? c["audit_log"] : json::object();
      const json event = log.is_object() && log.contains("event") ? log["event"] : json::object();
      certificate = "audit event " + event.value("action", std::string()) + " #" +
                    std::to_string(event.value("sequence", uint64_t{0})) +
                    ", proven in the signed tree of " +
                    std::to_string(log.value("tree_size", uint64_t{0})) +
                    " events (the JSON dossier carries the certificate)";
    } else if (a.granted) {
      certificate = "granted before approvals were certified";
    }
    table.rows.push_back({what, by, scope, certificate});
  }
  doc.table(std::move(table));
}

std::string tool_terms(const domain::Tool& tool) {
  std::string out;
  for (const domain::FieldSpec& field : domain::stage_fields()) {
    if (field.kind == domain::FieldKind::kText) {
      continue;
    }
    int8_t value = tool.scalars[field.slot];
    if (value != domain::kAbsent) {
      out += (out.empty() ? "" : "; ") + std::string(field.path) + ": " +
             std::string(domain::scalar_text(field, value));
    }
  }
  return out;
}

std::string consent_state(const domain::Consent& c) {
  if (!c.revoked_at.empty()) {
    return "revoked " + c.revoked_at;
  }
  if (!c.lapsed_at.empty()) {
    return "lapsed " + c.lapsed_at;
  }
  return c.expires_at.empty() ? "in force" : "in force until " + c.expires_at;
}

std::string verdict_counts(const domain::ScanJob& scan) {
  json summary = json::parse(scan.summary_json, nullptr, false);
  if (!summary.is_object() || !summary.contains("by_verdict") ||
      !summary["by_verdict"].is_object()) {
    return "";
  }
  std::string out;
  for (const auto& [verdict, count] : summary["by_verdict"].items()) {
    if (count.is_number_integer() && count.get<int64_t>() > 0) {
      out += (out.empty() ? "" : ", ") + verdict + " " + std::to_string(count.get<int64_t>());
    }
  }
  return out.empty() ? "no findings" : out;
}

}  // namespace

base::Result<std::string> disclosure_pdf(const DisclosureReport& report) {
  ReportDocument doc("AI disclosure report: " + title_of(report.production));
  doc.heading("AI disclosure report");
  doc.paragraph(title_of(report.production) + ". Generated " + report.generated_at + ".");
  doc.paragraph(scan_sentence(report));
  cleared_section(doc, report);
  not_cleared_section(doc, report);
  return doc.render();
}

base::Result<std::string> dossier_pdf(const Dossier& d) {
  ReportDocument doc("Clearance dossier: " + title_of(d.production));
  doc.heading("Clearance dossier");
  doc.paragraph(title_of(d.production) + ". Generated " + d.generated_at + ". " +
                std::to_string(d.use_cases.size()) + " use cases, " +
                std::to_string(d.consents.size()) + " consents, " + std::to_string(d.scans.size()) +
                " delivery scans.");
  doc.heading("Use cases, decisions and approvals", 2);
  for (const DossierUseCase& entry : d.use_cases) {
    const domain::UseCase& u = entry.use_case;
    doc.heading("Use case " + std::to_string(u.id) + ": " + u.summary, 3);
    doc.paragraph("State: " + std::string(domain::use_case_state_name(u.state)) +
                  ". Outcome: " + or_dash(std::string(domain::use_case_outcome_text(u.outcome))) +
                  ". Declaration SHA-256 " + u.declaration_digest + ", revision " +
                  std::to_string(u.revision) + ".");
    decision_part(doc, u);
    approvals_part(doc, entry, d.names);
  }
  doc.heading("Consents (" + std::to_string(d.consents.size()) + ")", 2);
  if (d.consents.empty()) {
    doc.paragraph("No consent is recorded.");
  } else {
    Table table{{"Performer", "Kind and scope", "Document SHA-256", "State"}, {2, 3, 3, 2}, {}};
    for (const domain::Consent& c : d.consents) {
      table.rows.push_back(
          {c.performer + "\nrecorded by " + name_of(d.names, c.recorded_by),
           std::string(domain::consent_kind_name(c.kind)) + ": " + c.scope +
               (c.use_case_id == 0 ? "\nproduction-wide"
                                   : "\nuse case " + std::to_string(c.use_case_id)),
           c.document_sha256, consent_state(c)});
    }
    doc.table(std::move(table));
  }
  doc.heading("Tools as the registry records them (" + std::to_string(d.tools.size()) + ")", 2);
  if (d.tools.empty()) {
    doc.paragraph("The declarations name no registered tool.");
  } else {
    Table table{{"Tool", "Terms as reviewed"}, {2, 5}, {}};
    for (const domain::Tool& t : d.tools) {
      table.rows.push_back({t.name + " (" + t.id + ")\n" + t.vendor + ", " + t.license_tier +
                                "\nreviewed " + or_dash(t.reviewed_on),
                            tool_terms(t)});
    }
    doc.table(std::move(table));
  }
  doc.heading("Delivery scans (" + std::to_string(d.scans.size()) + ")", 2);
  if (d.scans.empty()) {
    doc.paragraph("No delivery has been scanned.");
  } else {
    Table table{{"Scan", "Finished", "Result", "Findings by verdict"}, {1, 2.2, 1.4, 4}, {}};
    for (const domain::ScanJob& s : d.scans) {
      bool finished = s.state == domain::ScanJobState::kFinished;
      table.rows.push_back({"#" + std::to_string(s.id), or_dash(s.finished_at),
                            finished ? (s.passes ? "passes" : "FAILS")
                                     : std::string(domain::scan_job_state_name(s.state)),
                            finished ? verdict_counts(s) : or_dash(s.error)});
    }
    doc.table(std::move(table));
  }
  doc.heading("Audit log", 2);
  doc.paragraph(
      "The audit log's signed checkpoint when this dossier was made (C2SP tlog-checkpoint). Each "
      "certificate in the JSON dossier proves its approval's event in a tree this one extends; "
      "`clearcut audit verify-certificate` checks a certificate offline.");
  doc.monospace(d.checkpoint);
  return doc.render();
}

}  // namespace clearcut::exports
