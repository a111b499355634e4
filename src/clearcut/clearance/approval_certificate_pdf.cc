#include "clearcut/clearance/approval_certificate_pdf.h"

#include <nlohmann/json.hpp>

#include "clearcut/base/base64.h"
#include "clearcut/pdf/text_document.h"

namespace clearcut::clearance {
namespace {

using Json = nlohmann::json;
using pdf::Face;

// A value as a reader wants it: text as it is, yes/no, numbers, "key: value; ..." for
// objects, lists joined by commas; absent or null as empty.
std::string plain(const Json& value) {
  if (value.is_string()) {
    return value.get<std::string>();
  }
  if (value.is_boolean()) {
    return value.get<bool>() ? "yes" : "no";
  }
  if (value.is_number()) {
    return value.dump();
  }
  std::string out;
  if (value.is_array()) {
    for (const Json& item : value) {
      out += (out.empty() ? "" : ", ") + plain(item);
    }
  } else if (value.is_object()) {
    for (const auto& [key, item] : value.items()) {
      out += (out.empty() ? "" : "; ") + key + ": " + plain(item);
    }
  }
  return out;
}

std::string at(const Json& object, const char* key) {
  return object.is_object() && object.contains(key) ? plain(object[key]) : "";
}

std::string or_else(std::string text, std::string_view fallback) {
  return text.empty() ? std::string(fallback) : text;
}

std::string file_name(const ApprovalCertificate& certificate) {
  return "approval-" + certificate.event.subject_id + "-certificate.json";
}

// Writes the sections of the certificate onto `doc`.
class Renderer {
 public:
  explicit Renderer(pdf::TextDocument& doc) : doc_(doc) {}

  void heading(std::string_view text) { doc_.paragraph(text, Face::kBold, 12, 14); }
  void field(std::string_view label, std::string_view value, double indent = 0) {
    doc_.paragraph(std::string(label) + ": " + std::string(value), Face::kRegular, 10, 2, indent);
  }
  void mono(std::string_view text, double indent = 0) {
    doc_.paragraph(text, Face::kMono, 8, 2, indent);
  }
  void text(std::string_view text, double indent = 0) {
    doc_.paragraph(text, Face::kRegular, 10, 2, indent);
  }

  void approval(const Json& a) {
    heading("The approval");
    const Json& approver = a.value("approver", Json::object());
    std::string account = at(approver, "name");
    field("Signed by", "\"" + at(a, "signer_name") + "\"" +
                           (account.empty() ? ""
                                            : " (account: " + account + ", user " +
                                                  at(approver, "user_id") + ")"));
    field("Signed at", at(a, "created_at"));
    field("Reason", or_else(at(a, "reason"), "none given"));
    field("Scope", or_else(at(a, "scope"), "the declaration as it stands"));
    field("Conditions", or_else(at(a, "conditions"), "none"));
    field("Expires", or_else(at(a, "expires_at"), "does not expire"));
  }

  void decision(const Json& d) {
    if (!d.is_object() || d.empty()) {
      return;
    }
    heading("The decision it approves");
    field("Policy pack", at(d, "policy"));
    field("Outcome", at(d, "outcome"));
    if (d.contains("headline")) {
      field("In short", at(d, "headline"));
    }
    std::string rules;
    for (const Json& rule : d.value("rules", Json::array())) {
      rules += (rules.empty() ? "" : ", ") + at(rule, "id") + " (" + at(rule, "outcome") + ")";
    }
    field("Rules that fired", or_else(rules, "none"));
    field("Actions required", or_else(at(d, "actions"), "none"));
  }

  void checklist(const Json& items) {
    if (!items.is_array()) {
      return;
    }
    heading("The checklist, as it stood when signed");
    if (items.empty()) {
      text("No item: the decision required no action.");
    }
    for (const Json& item : items) {
      doc_.paragraph(at(item, "name") + " \xE2\x80\x94 " + at(item, "state") +
                         (item.value("conditional", false) ? " (conditional)" : ""),
                     Face::kBold, 10, 6);
      field("Kind", at(item, "kind"), 12);
      field("Rules", at(item, "rules"), 12);
      if (item.contains("reason")) {
        field("Waived because", at(item, "reason"), 12);
      }
      evidence(item.value("evidence", Json()));
      if (item.contains("decided_by")) {
        field("Settled by", "user " + at(item, "decided_by") + " at " + at(item, "decided_at"), 12);
      }
    }
  }

  void declaration(const Json& a) {
    heading("The declaration approved");
    field("Use case",
          at(a, "use_case_id") + " of production " + at(a, "production_id") +
              (at(a, "use_case_summary").empty() ? "" : ": " + at(a, "use_case_summary")));
    text("SHA-256 of the declaration below:");
    mono(at(a, "declaration_digest"), 12);
    std::string declared = at(a, "declaration");
    Json parsed = Json::parse(declared, nullptr, false);
    mono(parsed.is_discarded() ? declared : parsed.dump(2));
  }

  void audit_log(const ApprovalCertificate& c) {
    heading("Its place in the audit log");
    field("Event", std::to_string(c.event.sequence) + " (" + c.event.action + " of " +
                       c.event.subject_type + " " + c.event.subject_id + ") at " + c.event.time +
                       " by " + c.event.actor);
    field("Signed tree", std::to_string(c.tree_size) + " events");
    text(
        "Inclusion proof (RFC 9162 \xC2\xA7"
        "2.1.3), from the event's leaf to the signed root:");
    for (const audit::Hash& hash : c.inclusion_proof) {
      mono(base::base64_encode(hash), 12);
    }
    if (c.inclusion_proof.empty()) {
      mono("(none: the event is the tree's only leaf)", 12);
    }
    text("Signed checkpoint (C2SP tlog-checkpoint):");
    mono(c.checkpoint, 12);
  }

  void how_to_check(const ApprovalCertificate& c) {
    heading("How to check it");
    text("This PDF carries the certificate file " + file_name(c) +
         " (open your reader's attachments). Anyone holding the audit log's public key can "
         "check this PDF, or that file, offline:");
    mono("clearcut audit verify-certificate approval-" + c.event.subject_id +
             "-certificate.pdf --key '<the log's verifier key>'",
         12);
    text(
        "It passes only if the checkpoint is signed by that key, the approval event is in the "
        "signed log, the declaration hashes to its digest, and not one byte of the PDF differs "
        "from what the certificate renders to.");
  }

 private:
  void evidence(const Json& e) {
    if (!e.is_object()) {
      return;
    }
    if (e.contains("text")) {
      field("Evidence", at(e, "text"), 12);
    }
    if (e.contains("document_sha256")) {
      text("Document SHA-256:", 12);
      mono(at(e, "document_sha256"), 24);
    }
    for (const Json& consent : e.value("consents", Json::array())) {
      field("Consent " + at(consent, "id"),
            at(consent, "performer") + ", " + at(consent, "kind") + ", " + at(consent, "scope") +
                "; " + or_else(at(consent, "expires_at"), "no expiry"),
            12);
      text("Consent document SHA-256:", 24);
      mono(at(consent, "document_sha256"), 24);
    }
  }

  pdf::TextDocument& doc_;
};

}  // namespace

bool looks_like_pdf(std::string_view bytes) {
  return bytes.starts_with("%PDF-");
}

base::Result<std::string> write_approval_certificate_pdf(const ApprovalCertificate& certificate) {
  std::string json = CC_TRY(write_approval_certificate(certificate));
  Json approval = Json::parse(certificate.event.payload_json, nullptr, false);
  std::string title = "Approval " + certificate.event.subject_id + ": certificate";
  pdf::TextDocument doc(title, approval.value("created_at", ""));
  doc.paragraph("Written approval certificate", Face::kBold, 16);
  doc.paragraph("clearcut approval " + certificate.event.subject_id + " of use case " +
                    at(approval, "use_case_id") + ", production " + at(approval, "production_id"),
                Face::kRegular, 10, 4);
  Renderer page(doc);
  page.approval(approval);
  page.decision(approval.value("decision", Json()));
  page.checklist(approval.value("checklist", Json()));
  page.declaration(approval);
  page.audit_log(certificate);
  page.how_to_check(certificate);
  doc.attach({file_name(certificate), "application/json",
              "The approval certificate (" + std::string(kApprovalCertificateFormat) + ")",
              std::move(json)});
  return doc.finish();
}

base::Result<ApprovalCertificate> read_approval_certificate_pdf(std::string_view pdf) {
  if (!looks_like_pdf(pdf)) {
    return base::invalid_argument("not a PDF: it does not start with %PDF-");
  }
  if (pdf.size() > kMaxCertificatePdfBytes) {
    return base::invalid_argument("not a certificate PDF clearcut wrote: over 16 MiB");
  }
  // The embedded file's name holds the approval id, which only the certificate inside says:
  // find any "approval-<id>-certificate.json" the PDF names, then check it against its content.
  constexpr std::string_view kPrefix = "/F (approval-";
  size_t name_at = pdf.find(kPrefix);
  size_t name_end = name_at == std::string_view::npos ? name_at : pdf.find(')', name_at);
  if (name_end == std::string_view::npos || name_end - name_at > 64) {
    return base::invalid_argument(
        "not a certificate PDF clearcut wrote: no certificate file in it");
  }
  std::string_view name = pdf.substr(name_at + 4, name_end - name_at - 4);
  auto json = pdf::find_embedded_file(pdf, name);
  if (!json) {
    return base::invalid_argument("not a certificate PDF clearcut wrote: its certificate file '" +
                                  std::string(name) + "' cannot be read");
  }
  ApprovalCertificate certificate = CC_TRY(read_approval_certificate(*json));
  if (file_name(certificate) != name) {
    return base::invalid_argument("the PDF's certificate file is named '" + std::string(name) +
                                  "' but holds approval " + certificate.event.subject_id);
  }
  std::string rendered = CC_TRY(write_approval_certificate_pdf(certificate));
  if (rendered != pdf) {
    size_t differs = 0;
    while (differs < rendered.size() && differs < pdf.size() && rendered[differs] == pdf[differs]) {
      ++differs;
    }
    return base::invalid_argument(
        "the PDF is not the one its certificate renders to (was it edited?): it differs from "
        "byte " +
        std::to_string(differs));
  }
  return certificate;
}

}  // namespace clearcut::clearance
