#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "clearcut/base/result.h"

namespace clearcut::blob {

// Files kept by their SHA-256 in one directory (`<root>/<first two hex digits>/<64 hex
// digits>`), so that the same bytes are kept once and a name says what it holds. A file is
// written to a temporary name beside its destination and renamed into place: a reader sees the
// whole file or none; a failed write leaves no file behind. Several servers may share the
// directory (a network filesystem): writes of the same bytes race harmlessly. Thread-safe.
// Errors: kUnavailable when the directory cannot be created, written or read (the message says
// why); kNotFound for a hash with no file; kInvalidArgument for what is not 64 hex digits;
// kDataLoss when a stored file no longer has its hash.
class BlobStore {
 public:
  // `root` is created (with its parents) by the first put(), so that a server that never keeps
  // a file leaves no folder behind; kUnavailable when it exists and is not a directory.
  static base::Result<BlobStore> open(std::string root);

  // Keeps `bytes`; returns their SHA-256, hex. Keeping bytes already kept changes nothing.
  base::Result<std::string> put(std::string_view bytes) const;
  // The bytes whose SHA-256 is `sha256` (hex), checked against it on the way out.
  base::Result<std::string> get(const std::string& sha256) const;
  bool contains(const std::string& sha256) const;

  // Where the file of `sha256` goes; `sha256` must be 64 lower-case hex digits.
  std::string path_of(const std::string& sha256) const;
  const std::string& root() const { return root_; }

 private:
  explicit BlobStore(std::string root) : root_(std::move(root)) {}
  std::string root_;
};

// The default blob directory of a database url: "<file>.blobs" beside an SQLite file
// (sqlite:PATH or a bare path), "clearcut-blobs" in the working directory for PostgreSQL
// (where servers on several machines need --blob-dir on a shared filesystem).
std::string default_blob_dir(const std::string& db_url);

}  // namespace clearcut::blob
