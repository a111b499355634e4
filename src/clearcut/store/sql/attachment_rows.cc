#include "clearcut/store/sql/attachment_rows.h"

#include <algorithm>
#include <string>

#include "clearcut/domain/validation.h"
#include "clearcut/store/sql/table.h"

namespace clearcut::store::sql {
namespace {

using base::Result;
using domain::Attachment;

constexpr auto kAttachments = table<Attachment>(
    "attachments", key<&Attachment::id>("id"),
    optional_field<&Attachment::production_id>("production_id"),
    enum_field<&Attachment::parent_type, domain::attachment_parent_name,
               domain::parse_attachment_parent>("parent_type"),
    field<&Attachment::parent_id>("parent_id"), field<&Attachment::sha256>("sha256"),
    field<&Attachment::size>("size"), field<&Attachment::content_type>("content_type"),
    field<&Attachment::file_name>("file_name"), optional_field<&Attachment::added_by>("added_by"),
    field<&Attachment::added_at>("added_at"));

bool is_hash(const std::string& sha256) {
  return sha256.size() == 64 && std::all_of(sha256.begin(), sha256.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

}  // namespace

Result<int64_t> SqlAttachmentRecords::add(const Attachment& attachment) {
  CC_TRY(domain::check_time(attachment.added_at, "added_at"));
  if (!is_hash(attachment.sha256)) {
    return base::invalid_argument("expected 64 lower-case hex digits").with_field("sha256");
  }
  if (attachment.size < 1) {
    return base::invalid_argument("an attachment has at least one byte").with_field("size");
  }
  if (attachment.parent_id.empty()) {
    return base::invalid_argument("name what the file is attached to").with_field("parent_id");
  }
  return single_integer(CC_TRY(statements_.run("add attachment", kAttachments.insert(),
                                               kAttachments.values(attachment),
                                               {{}, "production or user not found"})));
}

Result<Attachment> SqlAttachmentRecords::get(int64_t id) {
  SqlRows rows =
      CC_TRY(statements_.run("get attachment", kAttachments.select("WHERE id = ?"), {id}));
  if (rows.empty()) {
    return missing("attachment", id);
  }
  return kAttachments.read(rows[0]);
}

Result<std::vector<Attachment>> SqlAttachmentRecords::list_of(domain::AttachmentParent parent,
                                                              const std::string& parent_id) {
  return kAttachments.read_all(CC_TRY(
      statements_.run("list attachments",
                      kAttachments.select("WHERE parent_type = ? AND parent_id = ? ORDER BY id"),
                      {std::string(domain::attachment_parent_name(parent)), parent_id})));
}

Result<std::vector<Attachment>> SqlAttachmentRecords::list_all(int64_t after_id, int limit) {
  CC_TRY(check_limit(limit));
  return kAttachments.read_all(CC_TRY(
      statements_.run("list attachments", kAttachments.select("WHERE id > ? ORDER BY id LIMIT ?"),
                      {after_id, int64_t{limit}})));
}

Result<bool> SqlAttachmentRecords::attached_to_production(int64_t production_id,
                                                          const std::string& sha256) {
  SqlRows rows = CC_TRY(
      statements_.run("find attachment",
                      "SELECT id FROM attachments WHERE production_id = ? AND sha256 = ? LIMIT 1",
                      {production_id, sha256}));
  return !rows.empty();
}

}  // namespace clearcut::store::sql
