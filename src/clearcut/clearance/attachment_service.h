#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "clearcut/base/result.h"
#include "clearcut/blob/blob_store.h"
#include "clearcut/clearance/actor.h"
#include "clearcut/clearance/audit_log.h"
#include "clearcut/clearance/clock.h"
#include "clearcut/domain/attachment.h"
#include "clearcut/store/store.h"

namespace clearcut::clearance {

// An attachment and its bytes, for a download.
struct AttachmentFile {
  domain::Attachment attachment;
  std::string bytes;
};

// Evidence files (issue #14) attached to use cases, consents, approvals and tool registry
// entries: the bytes in the blob store by SHA-256, the metadata in the store, every upload and
// every download in the audit log (attachment.added, attachment.downloaded). Whoever may read
// the parent may list and download; who may attach follows who may change the parent: the
// contact or legal for a use case (as for checklist evidence), legal for a consent or an
// approval, an admin for a tool. Thread-safe.
// Errors as ClearanceService's: kNotFound for a parent or attachment the actor may not see (an
// other production's is not found, never forbidden); kInvalidArgument (field "filename" or
// "body") for a bad name, an empty or oversized file; kUnsupported for a type outside the
// allow-list, naming what was found and what is allowed.
class AttachmentService {
 public:
  AttachmentService(store::Store& store, AuditLog& audit, const Clock& clock, blob::BlobStore blobs,
                    uint64_t max_bytes)
      : store_(store),
        audit_(audit),
        clock_(clock),
        blobs_(std::move(blobs)),
        max_bytes_(max_bytes) {}

  // Keeps `bytes` under `file_name` (a path is cut to its last part). The bytes go to the blob
  // store first: a failed commit leaves at most an unreferenced file, never a row without one.
  base::Result<domain::Attachment> add(const Actor& actor, domain::AttachmentParent parent,
                                       const std::string& parent_id, const std::string& file_name,
                                       std::string_view bytes);
  base::Result<std::vector<domain::Attachment>> list(const Actor& actor,
                                                     domain::AttachmentParent parent,
                                                     const std::string& parent_id);
  // The file, read back from the blob store and checked against its hash (kDataLoss when it
  // changed); the download is logged.
  base::Result<AttachmentFile> download(const Actor& actor, int64_t attachment_id);

  uint64_t max_bytes() const { return max_bytes_; }
  const blob::BlobStore& blobs() const { return blobs_; }

 private:
  // The parent's production (0 for a tool), once the actor may read it; with `write`, once the
  // actor may attach to it.
  base::Result<int64_t> parent_production(store::Transaction& tx, const Actor& actor,
                                          domain::AttachmentParent parent,
                                          const std::string& parent_id, bool write);
  std::string now() const { return format_rfc3339(clock_.now()); }

  store::Store& store_;
  AuditLog& audit_;
  const Clock& clock_;
  blob::BlobStore blobs_;
  uint64_t max_bytes_;
};

// The audit payload of an attachment: production, parent, sha256, size, type, file name and
// time added. State replay (state_replay.h) rebuilds the attachments table from it. It overlaps
// the API's view (api/json_views.h, to_json) on purpose but is a separate contract: this one is
// frozen in signed audit events and read back by replay, so it changes only with a replay that
// reads both forms; the API's may grow (ids, links) freely.
std::string attachment_payload(const domain::Attachment& attachment);

}  // namespace clearcut::clearance
