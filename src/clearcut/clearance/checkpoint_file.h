#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "clearcut/base/result.h"

namespace clearcut::clearance {

// One signed checkpoint as kept outside the database.
struct CheckpointFileEntry {
  int line = 0;  // 1-based line in the file it was read from
  uint64_t tree_size = 0;
  std::string key_id;  // hex key ID of the signing key (also inside the note's signature line)
  std::string created_at;
  std::string note;  // the C2SP signed note, as stored in the database
};

// The append-only checkpoint file (or a witness copy of it): one JSON object per line,
//   {"created_at":"...","key_id":"89abcdef","note":"<signed note>","tree_size":N}
// Operators ship it elsewhere (it holds no secret); `clearcut audit verify --checkpoints` and
// `--witness` check the database against every line. Stateless functions; concurrent appends
// from several processes are whole lines (O_APPEND, one write per line).

// Appends `entry` (its line is ignored) and fsyncs; creates the file with mode 0600.
// kUnavailable when the file cannot be opened or written.
base::Status append_checkpoint_file(const std::string& path, const CheckpointFileEntry& entry);

// Reads every entry. A missing file is kNotFound; a line that is not such an object is
// kInvalidArgument naming the file and line. A torn last line (no newline, from a crash while
// appending) is ignored.
base::Result<std::vector<CheckpointFileEntry>> read_checkpoint_file(const std::string& path);

}  // namespace clearcut::clearance
