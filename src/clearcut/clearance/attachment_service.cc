#include "clearcut/clearance/attachment_service.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "clearcut/base/utf8.h"
#include "clearcut/blob/content_sniffer.h"

namespace clearcut::clearance {
namespace {

using domain::AttachmentParent;
using domain::Role;

base::Error denied(const std::string& what) {
  return base::Error(base::ErrorCode::kPermissionDenied, what);
}

bool can_read(const Actor& actor, int64_t production_id) {
  return actor.admin() || actor.member_of(production_id);
}

// A positive decimal id, as the routes give it.
std::optional<int64_t> numeric_id(const std::string& text) {
  if (text.empty() || text.size() > 18 ||
      !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;
  }
  int64_t id = std::stoll(text);
  return id > 0 ? std::optional<int64_t>(id) : std::nullopt;
}

// The last part of a path a browser or client may send, checked: 1 to 255 bytes of UTF-8 with
// no control characters (it goes into a Content-Disposition header and the audit log).
base::Result<std::string> clean_file_name(const std::string& given) {
  size_t slash = given.find_last_of("/\\");
  std::string name = slash == std::string::npos ? given : given.substr(slash + 1);
  bool control = std::any_of(name.begin(), name.end(), [](char c) {
    return static_cast<unsigned char>(c) < 0x20 || c == 0x7f;
  });
  if (name.empty() || name == "." || name == ".." || name.size() > 255 || control ||
      base::find_invalid_utf8(name)) {
    return base::invalid_argument(
               "expected the file's name: 1 to 255 bytes of UTF-8 without control characters")
        .with_field("filename");
  }
  return name;
}

}  // namespace

std::string attachment_payload(const domain::Attachment& a) {
  return nlohmann::json({{"production_id", a.production_id},
                         {"parent_type", domain::attachment_parent_name(a.parent_type)},
                         {"parent_id", a.parent_id},
                         {"sha256", a.sha256},
                         {"size", a.size},
                         {"content_type", a.content_type},
                         {"file_name", a.file_name},
                         {"added_at", a.added_at}})
      .dump();
}

base::Result<int64_t> AttachmentService::parent_production(store::Transaction& tx,
                                                           const Actor& actor,
                                                           AttachmentParent parent,
                                                           const std::string& parent_id,
                                                           bool write) {
  std::string name(domain::attachment_parent_name(parent));
  std::replace(name.begin(), name.end(), '_', ' ');
  base::Error missing = base::not_found("no " + name + " " + parent_id);
  if (parent == AttachmentParent::kTool) {
    std::vector<domain::Tool> tools = CC_TRY(tx.policy().list_tools());
    if (std::none_of(tools.begin(), tools.end(),
                     [&](const domain::Tool& t) { return t.id == parent_id; })) {
      return missing;
    }
    // Every signed-in user reads the registry; an admin edits it (ClearanceService::upsert_tool).
    if (write && !actor.admin()) {
      return denied("only an admin attaches files to the tool registry");
    }
    return int64_t{0};
  }
  std::optional<int64_t> id = numeric_id(parent_id);
  if (!id) {
    return missing;
  }
  int64_t production_id = 0;
  if (parent == AttachmentParent::kUseCase) {
    auto use_case = tx.use_cases().get(*id);
    if (!use_case.has_value()) {
      return missing;
    }
    production_id = use_case->production_id;
  } else if (parent == AttachmentParent::kConsent) {
    auto consent = tx.approvals().get_consent(*id);
    if (!consent.has_value()) {
      return missing;
    }
    production_id = consent->production_id;
  } else {
    auto approval = tx.approvals().get_approval(*id);
    if (!approval.has_value()) {
      return missing;
    }
    production_id = CC_TRY(tx.use_cases().get(approval->use_case_id)).production_id;
  }
  if (!can_read(actor, production_id)) {
    return missing;
  }
  if (write) {
    // As the parent's own editors: checklist evidence (contact, legal), consents and approvals
    // (legal).
    bool may =
        actor.has_role(production_id, Role::kLegal) ||
        (parent == AttachmentParent::kUseCase && actor.has_role(production_id, Role::kContact));
    if (!may) {
      return denied(parent == AttachmentParent::kUseCase
                        ? "only the studio contact or legal attaches files to a use case"
                        : "only legal attaches files to a " + name);
    }
  }
  return production_id;
}

base::Result<domain::Attachment> AttachmentService::add(const Actor& actor, AttachmentParent parent,
                                                        const std::string& parent_id,
                                                        const std::string& file_name,
                                                        std::string_view bytes) {
  domain::Attachment attachment;
  {
    // Who may attach is settled before the bytes are looked at or kept.
    auto tx = CC_TRY(store_.begin());
    attachment.production_id = CC_TRY(parent_production(*tx, actor, parent, parent_id, true));
  }
  attachment.file_name = CC_TRY(clean_file_name(file_name));
  if (bytes.empty()) {
    return base::invalid_argument("the file is empty: send its bytes as the request body")
        .with_field("body");
  }
  if (bytes.size() > max_bytes_) {
    return base::invalid_argument("the file has " + std::to_string(bytes.size()) +
                                  " bytes; attachments have at most " + std::to_string(max_bytes_))
        .with_field("body");
  }
  blob::SniffedType type = blob::sniff_content(bytes);
  if (!type.allowed) {
    return base::Error(base::ErrorCode::kUnsupported, "the file is " + type.description +
                                                          "; attachments may be " +
                                                          std::string(blob::kAllowedTypesText))
        .with_field("body");
  }
  attachment.parent_type = parent;
  attachment.parent_id = parent_id;
  attachment.sha256 = CC_TRY(blobs_.put(bytes));
  attachment.size = static_cast<int64_t>(bytes.size());
  attachment.content_type = type.content_type;
  attachment.added_by = actor.user.id;
  attachment.added_at = now();
  auto tx = CC_TRY(store_.begin());
  // Again in the transaction that writes: the parent may have gone meanwhile.
  CC_TRY(parent_production(*tx, actor, parent, parent_id, true));
  attachment.id = CC_TRY(tx->attachments().add(attachment));
  audit::AuditEvent event;
  event.time = attachment.added_at;
  event.actor = actor.audit_name();
  event.action = "attachment.added";
  event.subject_type = "attachment";
  event.subject_id = std::to_string(attachment.id);
  event.payload_json = attachment_payload(attachment);
  CC_TRY(audit_.append(*tx, std::move(event)));
  CC_TRY(tx->commit());
  return attachment;
}

base::Result<std::vector<domain::Attachment>> AttachmentService::list(
    const Actor& actor, AttachmentParent parent, const std::string& parent_id) {
  auto tx = CC_TRY(store_.begin());
  CC_TRY(parent_production(*tx, actor, parent, parent_id, false));
  return tx->attachments().list_of(parent, parent_id);
}

base::Result<AttachmentFile> AttachmentService::download(const Actor& actor,
                                                         int64_t attachment_id) {
  auto tx = CC_TRY(store_.begin());
  auto attachment = tx->attachments().get(attachment_id);
  if (!attachment.has_value() ||
      (attachment->production_id != 0 && !can_read(actor, attachment->production_id))) {
    return base::not_found("no attachment " + std::to_string(attachment_id));
  }
  auto bytes = blobs_.get(attachment->sha256);
  if (!bytes.has_value()) {
    // The row is there and its file is not, or changed: the blob directory lost data (a
    // restore without it, say). Not the client's error.
    return base::Error(base::ErrorCode::kDataLoss, "attachment " + std::to_string(attachment_id) +
                                                       ": " + bytes.error().message());
  }
  AttachmentFile file{*attachment, std::move(bytes).value()};
  audit::AuditEvent event;
  event.time = now();
  event.actor = actor.audit_name();
  event.action = "attachment.downloaded";
  event.subject_type = "attachment";
  event.subject_id = std::to_string(attachment_id);
  event.payload_json = attachment_payload(file.attachment);
  CC_TRY(audit_.append(*tx, std::move(event)));
  CC_TRY(tx->commit());
  return file;
}

}  // namespace clearcut::clearance
