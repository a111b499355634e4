#include "clearcut/media/ffmpeg/internal/test_clips.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>

namespace clearcut::media::testing {

TempDir::TempDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "clearcut_video_XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) {
    std::abort();
  }
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

bool have_ffmpeg() {
  static const bool present = std::system("ffmpeg -version >/dev/null 2>&1") == 0;
  return present;
}

std::string quoted(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out.push_back(c);
    }
  }
  return out + "'";
}

bool run_ffmpeg(const std::string& args) {
  // A recipe that never ends (an endless lavfi source) fails after a minute instead of hanging.
  const std::string command = "timeout 60 ffmpeg -nostdin -hide_banner -loglevel error -y " + args;
  return std::system(command.c_str()) == 0;
}

std::vector<uint8_t> read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(in), {});
}

void write_bytes(const std::string& path, const std::vector<uint8_t>& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(bytes.data()),
            static_cast<std::streamsize>(bytes.size()));
}

void truncate_file(const std::string& path, double fraction) {
  std::vector<uint8_t> bytes = read_bytes(path);
  bytes.resize(static_cast<size_t>(static_cast<double>(bytes.size()) * fraction));
  write_bytes(path, bytes);
}

}  // namespace clearcut::media::testing
