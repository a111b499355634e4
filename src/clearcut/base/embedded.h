#pragma once

#include <cstddef>
#include <optional>
#include <string_view>
#include <vector>

namespace clearcut::base {

// A file compiled into the binary (cmake/embed_files.cmake writes the tables).
struct EmbeddedFile {
  std::string_view path;  // relative to the folder it was embedded from
  std::string_view data;
};

// Registers a table of embedded files at static-initialisation time.
struct EmbeddedRegistrar {
  EmbeddedRegistrar(const EmbeddedFile* files, size_t count);
};

// The embedded file at `path`, if any. Thread-safe after static initialisation.
std::optional<std::string_view> find_embedded(std::string_view path);

// Every embedded path, in registration order.
std::vector<std::string_view> embedded_paths();

}  // namespace clearcut::base
