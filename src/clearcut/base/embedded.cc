#include "clearcut/base/embedded.h"

namespace clearcut::base {
namespace {

std::vector<EmbeddedFile>& registry() {
  static std::vector<EmbeddedFile> files;
  return files;
}

}  // namespace

EmbeddedRegistrar::EmbeddedRegistrar(const EmbeddedFile* files, size_t count) {
  for (size_t i = 0; i < count; ++i) {
    registry().push_back(files[i]);
  }
}

std::optional<std::string_view> find_embedded(std::string_view path) {
  for (const EmbeddedFile& file : registry()) {
    if (file.path == path) {
      return file.data;
    }
  }
  return std::nullopt;
}

std::vector<std::string_view> embedded_paths() {
  std::vector<std::string_view> paths;
  for (const EmbeddedFile& file : registry()) {
    paths.push_back(file.path);
  }
  return paths;
}

}  // namespace clearcut::base
