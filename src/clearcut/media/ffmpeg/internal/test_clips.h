#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace clearcut::media::testing {

// A fresh folder under the system's temp folder, removed with everything in it on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  std::string file(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// Whether the ffmpeg command-line tool runs (the tests make their clips with it).
bool have_ffmpeg();

// Runs `ffmpeg -nostdin -hide_banner -loglevel error -y ARGS` through the shell, for at most a
// minute; ARGS are trusted test text (quote paths with quoted()). True on exit status 0.
bool run_ffmpeg(const std::string& args);

// `s` in single quotes for the shell.
std::string quoted(const std::string& s);

std::vector<uint8_t> read_bytes(const std::string& path);
void write_bytes(const std::string& path, const std::vector<uint8_t>& bytes);
// Keeps the first `fraction` of the file's bytes.
void truncate_file(const std::string& path, double fraction);

}  // namespace clearcut::media::testing
