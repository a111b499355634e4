#include "clearcut/blob/blob_store.h"

#include <algorithm>
#include <filesystem>
#include <system_error>

#include "clearcut/base/file.h"
#include "clearcut/base/hex.h"
#include "clearcut/crypto/sha256.h"

namespace clearcut::blob {
namespace {

bool is_hash(const std::string& sha256) {
  return sha256.size() == 64 && std::all_of(sha256.begin(), sha256.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

}  // namespace

base::Result<BlobStore> BlobStore::open(std::string root) {
  if (root.empty()) {
    return base::invalid_argument("name the blob directory").with_field("blob_dir");
  }
  std::error_code ec;
  if (std::filesystem::exists(root, ec) && !std::filesystem::is_directory(root, ec)) {
    return base::Error(base::ErrorCode::kUnavailable,
                       "the blob directory " + root + " is not a directory");
  }
  return BlobStore(std::move(root));
}

std::string BlobStore::path_of(const std::string& sha256) const {
  return root_ + "/" + sha256.substr(0, 2) + "/" + sha256;
}

base::Result<std::string> BlobStore::put(std::string_view bytes) const {
  std::string sha256 = base::to_hex(crypto::sha256(bytes));
  std::string path = path_of(sha256);
  std::error_code ec;
  if (std::filesystem::is_regular_file(path, ec)) {
    return sha256;
  }
  std::filesystem::create_directories(root_ + "/" + sha256.substr(0, 2), ec);
  if (ec) {
    return base::Error(
        base::ErrorCode::kUnavailable,
        "cannot create a folder in the blob directory " + root_ + ": " + ec.message());
  }
  base::StagedFile file = CC_TRY(base::StagedFile::create(path, 0640));
  CC_TRY(file.write(bytes));
  base::Status committed = file.commit(/*replace=*/false);
  if (!committed.has_value() && (committed.error().code() != base::ErrorCode::kAlreadyExists ||
                                 !std::filesystem::is_regular_file(path, ec))) {
    return std::move(committed).error().with_context("cannot keep an attachment");
  }
  return sha256;  // kAlreadyExists: another request kept the same bytes first
}

base::Result<std::string> BlobStore::get(const std::string& sha256) const {
  if (!is_hash(sha256)) {
    return base::invalid_argument("expected 64 lower-case hex digits").with_field("sha256");
  }
  auto bytes = base::read_file(path_of(sha256));
  if (!bytes.has_value()) {
    if (bytes.error().code() == base::ErrorCode::kNotFound) {
      return base::not_found("no attachment file " + sha256 + " in " + root_);
    }
    return std::move(bytes).error();
  }
  if (base::to_hex(crypto::sha256(*bytes)) != sha256) {
    return base::Error(base::ErrorCode::kDataLoss,
                       "the attachment file " + path_of(sha256) + " no longer has its hash");
  }
  return bytes;
}

bool BlobStore::contains(const std::string& sha256) const {
  std::error_code ec;
  return is_hash(sha256) && std::filesystem::is_regular_file(path_of(sha256), ec);
}

std::string default_blob_dir(const std::string& db_url) {
  if (db_url.rfind("postgresql://", 0) == 0 || db_url.rfind("postgres://", 0) == 0) {
    return "clearcut-blobs";
  }
  std::string path = db_url.rfind("sqlite:", 0) == 0 ? db_url.substr(7) : db_url;
  return path + ".blobs";
}

}  // namespace clearcut::blob
