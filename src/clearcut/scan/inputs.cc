// Turning the paths a scan is given into its inputs (scanner.h, expand_inputs).
#include <algorithm>
#include <cctype>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <tuple>

#include "clearcut/base/text.h"
#include "clearcut/scan/scanner.h"

namespace clearcut::scan {

namespace fs = std::filesystem;

namespace {

// Formats render and conform tools write frame sequences in. JPEG is left out: numbered JPEGs
// in a delivery are a camera's or a phone's photos (IMG_0041.jpg), each a still of its own.
bool is_frame_extension(const std::string& ext) {
  static const std::set<std::string> kFrames = {".png", ".webp", ".tif", ".tiff",
                                                ".dpx", ".exr",  ".bmp"};
  return kFrames.count(base::ascii_lower(ext)) > 0;
}

// "shot_0012.png" -> ("shot_", "0012", ".png"); nullopt without a run of digits before the
// extension.
struct NumberedName {
  std::string prefix;
  std::string digits;
  std::string suffix;
};
std::optional<NumberedName> numbered_name(const fs::path& path) {
  // By hand rather than std::regex: GCC 12's <regex> trips -Wmaybe-uninitialized at -O2.
  std::string name = path.filename().string();
  size_t dot = name.rfind('.');
  if (dot == std::string::npos || dot + 1 == name.size()) {
    return std::nullopt;
  }
  for (size_t i = dot + 1; i < name.size(); ++i) {
    if (std::isalnum(static_cast<unsigned char>(name[i])) == 0) {
      return std::nullopt;
    }
  }
  size_t start = dot;
  while (start > 0 && std::isdigit(static_cast<unsigned char>(name[start - 1])) != 0) {
    --start;
  }
  if (start == dot) {
    return std::nullopt;
  }
  return NumberedName{name.substr(0, start), name.substr(start, dot - start), name.substr(dot)};
}

// Members of one pattern (same digit count), sorted by name: their numbers count up by one.
bool numbers_run_on(const std::vector<fs::path>& members) {
  std::optional<uint64_t> previous;
  for (const fs::path& member : members) {
    auto numbered = numbered_name(member);
    if (!numbered || numbered->digits.size() > 18) {
      return false;
    }
    const uint64_t number = std::stoull(numbered->digits);
    if (previous && number != *previous + 1) {
      return false;
    }
    previous = number;
  }
  return true;
}

}  // namespace

std::vector<ScanInput> expand_inputs(const std::vector<std::string>& paths, const FileGate& gate,
                                     std::vector<std::string>* missing,
                                     std::vector<SkippedEntry>* skipped) {
  std::vector<ScanInput> inputs;
  for (const std::string& path : paths) {
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
      std::map<fs::path, uint64_t> files;  // sorted, with their sizes
      // Symlinked folders are not walked (the iterator does not follow them; skip_reason says so).
      for (fs::recursive_directory_iterator it(path, ec), end; !ec && it != end; it.increment(ec)) {
        std::error_code entry_error;
        if (fs::is_directory(it->symlink_status(entry_error))) {
          continue;
        }
        if (auto reason = gate.skip_reason(*it)) {
          if (skipped != nullptr) {
            skipped->push_back(SkippedEntry{it->path().string(), *reason});
          }
          continue;
        }
        const uintmax_t size = it->file_size(entry_error);
        files[it->path()] = entry_error ? 0 : static_cast<uint64_t>(size);
      }
      // Numbered frames of one pattern in one folder: a sequence when there are two or more and
      // their numbers run on without a gap (stills numbered by whoever exported them rarely do).
      std::map<std::tuple<std::string, std::string, std::string, size_t>, std::vector<fs::path>>
          groups;
      std::vector<fs::path> singles;
      for (const auto& [file, size] : files) {
        auto numbered =
            is_frame_extension(file.extension().string()) ? numbered_name(file) : std::nullopt;
        if (numbered) {
          groups[{file.parent_path().string(), numbered->prefix, numbered->suffix,
                  numbered->digits.size()}]
              .push_back(file);
        } else {
          singles.push_back(file);
        }
      }
      for (auto& [key, members] : groups) {
        if (members.size() >= 2 && numbers_run_on(members)) {
          uint64_t bytes = 0;
          for (const fs::path& member : members) {
            bytes += files[member];
          }
          inputs.push_back(ScanInput{members.front().string(), true, bytes});
        } else {
          singles.insert(singles.end(), members.begin(), members.end());
        }
      }
      std::sort(singles.begin(), singles.end());
      for (const fs::path& file : singles) {
        inputs.push_back(ScanInput{file.string(), false, 0});
      }
    } else if (fs::exists(fs::symlink_status(path, ec))) {
      inputs.push_back(ScanInput{path, false, 0});  // FileGate::open decides whether it is read
    } else if (missing != nullptr) {
      missing->push_back(path);
    }
  }
  return inputs;
}

}  // namespace clearcut::scan
