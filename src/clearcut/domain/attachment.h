#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace clearcut::domain {

// What an attachment is evidence for.
enum class AttachmentParent : uint8_t { kUseCase, kConsent, kApproval, kTool };
std::string_view attachment_parent_name(AttachmentParent parent);  // "use_case", ...
std::optional<AttachmentParent> parse_attachment_parent(std::string_view name);

// A file kept as evidence (a licence, a signed consent form, a tool's reviewed terms): its
// metadata; the bytes are in the blob store under `sha256`.
struct Attachment {
  int64_t id = 0;
  // The parent's production; 0 for a tool registry entry, which belongs to no production.
  int64_t production_id = 0;
  AttachmentParent parent_type = AttachmentParent::kUseCase;
  std::string parent_id;     // the use case's, consent's or approval's id, or the tool's id
  std::string sha256;        // hex, lower case
  int64_t size = 0;          // bytes
  std::string content_type;  // sniffed from the bytes, never the client's word
  std::string file_name;     // as the uploader named it, for the download
  int64_t added_by = 0;
  std::string added_at;
};

}  // namespace clearcut::domain
