#include "clearcut/clearance/checkpoint_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <nlohmann/json.hpp>

#include "clearcut/base/file.h"

namespace clearcut::clearance {
namespace {

base::Error unavailable(const std::string& path, const std::string& what) {
  return base::Error(base::ErrorCode::kUnavailable, what + ": " + std::strerror(errno))
      .with_location({path, 0, 0});
}

}  // namespace

base::Status append_checkpoint_file(const std::string& path, const CheckpointFileEntry& entry) {
  nlohmann::json json = {{"tree_size", entry.tree_size},
                         {"key_id", entry.key_id},
                         {"created_at", entry.created_at},
                         {"note", entry.note}};
  std::string line = json.dump() + "\n";
  int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) {
    return unavailable(path, "cannot open the checkpoint file");
  }
  // One write: O_APPEND keeps lines from several processes whole.
  ssize_t written = ::write(fd, line.data(), line.size());
  bool ok = written == static_cast<ssize_t>(line.size()) && ::fsync(fd) == 0;
  base::Status status;
  if (!ok) {
    status = unavailable(path, "cannot append to the checkpoint file");
  }
  ::close(fd);
  return status;
}

base::Result<std::vector<CheckpointFileEntry>> read_checkpoint_file(const std::string& path) {
  std::string text = CC_TRY(base::read_file(path));
  std::vector<CheckpointFileEntry> entries;
  size_t start = 0;
  int line_number = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) {
      break;  // a torn last line: the append never completed
    }
    ++line_number;
    std::string_view line(text.data() + start, end - start);
    start = end + 1;
    if (line.empty()) {
      continue;
    }
    auto json = nlohmann::json::parse(line, nullptr, false);
    auto bad = [&](const std::string& why) {
      return base::invalid_argument("not a checkpoint line: " + why)
          .with_location({path, line_number, 0});
    };
    if (json.is_discarded() || !json.is_object()) {
      return bad("expected a JSON object");
    }
    CheckpointFileEntry entry;
    entry.line = line_number;
    if (!json.contains("tree_size") || !json["tree_size"].is_number_unsigned()) {
      return bad("tree_size must be a non-negative integer");
    }
    entry.tree_size = json["tree_size"].get<uint64_t>();
    if (!json.contains("note") || !json["note"].is_string()) {
      return bad("note must be a string");
    }
    entry.note = json["note"].get<std::string>();
    if (json.contains("key_id") && json["key_id"].is_string()) {
      entry.key_id = json["key_id"].get<std::string>();
    }
    if (json.contains("created_at") && json["created_at"].is_string()) {
      entry.created_at = json["created_at"].get<std::string>();
    }
    entries.push_back(std::move(entry));
  }
  return entries;
}

}  // namespace clearcut::clearance
