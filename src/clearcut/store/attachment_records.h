#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "clearcut/base/result.h"
#include "clearcut/domain/attachment.h"

namespace clearcut::store {

// Evidence files' metadata (their bytes are in the blob store). Rows are only added: an
// attachment is part of the record it supports. Part of a Transaction (store.h), whose contract
// every call follows.
class AttachmentRecords {
 public:
  virtual ~AttachmentRecords() = default;

  // kInvalidArgument for a size below 1 or a sha256 that is not 64 hex digits.
  virtual base::Result<int64_t> add(const domain::Attachment& attachment) = 0;
  virtual base::Result<domain::Attachment> get(int64_t id) = 0;
  // The attachments of one parent, in id order.
  virtual base::Result<std::vector<domain::Attachment>> list_of(domain::AttachmentParent parent,
                                                                const std::string& parent_id) = 0;
  // Every attachment with an id above `after_id`, in id order (audit verify reads them all).
  virtual base::Result<std::vector<domain::Attachment>> list_all(int64_t after_id, int limit) = 0;
  // Whether a file with this hash is attached to anything of `production_id`.
  virtual base::Result<bool> attached_to_production(int64_t production_id,
                                                    const std::string& sha256) = 0;
};

}  // namespace clearcut::store
