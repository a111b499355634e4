#pragma once

#include "clearcut/store/attachment_records.h"
#include "clearcut/store/sql/statements.h"

namespace clearcut::store::sql {

// Evidence files' metadata, in SQL both backends speak.
class SqlAttachmentRecords final : public AttachmentRecords {
 public:
  explicit SqlAttachmentRecords(Statements& statements) : statements_(statements) {}

  base::Result<int64_t> add(const domain::Attachment& attachment) override;
  base::Result<domain::Attachment> get(int64_t id) override;
  base::Result<std::vector<domain::Attachment>> list_of(domain::AttachmentParent parent,
                                                        const std::string& parent_id) override;
  base::Result<std::vector<domain::Attachment>> list_all(int64_t after_id, int limit) override;
  base::Result<bool> attached_to_production(int64_t production_id,
                                            const std::string& sha256) override;

 private:
  Statements& statements_;
};

}  // namespace clearcut::store::sql
