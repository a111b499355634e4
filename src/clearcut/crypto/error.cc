#include "clearcut/crypto/error.h"

#include <openssl/err.h>

#include "clearcut/crypto/internal/openssl_ptr.h"

namespace clearcut::crypto {

std::string last_error_text() {
  unsigned long code = ERR_get_error();
  std::string reason;
  if (code != 0) {
    char buffer[256];
    ERR_error_string_n(code, buffer, sizeof buffer);
    reason = buffer;
  }
  ERR_clear_error();
  return reason;
}

namespace internal {

namespace {

base::Error with_reason(base::ErrorCode code, std::string message) {
  std::string reason = last_error_text();
  if (!reason.empty()) {
    message += " (" + reason + ")";
  }
  return base::Error(code, std::move(message));
}

}  // namespace

base::Error invalid(std::string message) {
  return with_reason(base::ErrorCode::kInvalidArgument, std::move(message));
}

base::Error internal(std::string message) {
  return with_reason(base::ErrorCode::kInternal, std::move(message));
}

int no_passphrase(char*, int, int, void*) {
  return -1;
}

BioPtr memory_bio(std::string_view text) {
  return BioPtr(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())));
}

std::string bio_text(BIO* bio) {
  char* data = nullptr;
  long length = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<size_t>(length));
}

}  // namespace internal

}  // namespace clearcut::crypto
