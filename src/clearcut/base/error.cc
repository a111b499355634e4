#include "clearcut/base/error.h"

#include <sstream>

namespace clearcut::base {

std::string_view error_code_name(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument:
      return "invalid_argument";
    case ErrorCode::kNotFound:
      return "not_found";
    case ErrorCode::kAlreadyExists:
      return "already_exists";
    case ErrorCode::kPermissionDenied:
      return "permission_denied";
    case ErrorCode::kUnauthenticated:
      return "unauthenticated";
    case ErrorCode::kFailedPrecondition:
      return "failed_precondition";
    case ErrorCode::kUnavailable:
      return "unavailable";
    case ErrorCode::kResourceExhausted:
      return "resource_exhausted";
    case ErrorCode::kDataLoss:
      return "data_loss";
    case ErrorCode::kUnsupported:
      return "unsupported";
    case ErrorCode::kInternal:
      return "internal";
  }
  return "unknown";
}

Error& Error::with_context(std::string_view context) {
  // insert() rather than operator+: GCC 12 at -O3 reports a false -Wrestrict on the latter.
  message_.insert(0, ": ");
  message_.insert(0, context);
  return *this;
}

std::string Error::to_string() const {
  // A stream rather than string concatenation: GCC 12 at -O3 reports false -Wrestrict
  // warnings on the latter (GCC PR 105329), and errors are not a hot path.
  std::ostringstream out;
  if (!location_.file.empty()) {
    out << location_.file;
    if (location_.line > 0) {
      out << ':' << location_.line;
      if (location_.column > 0) {
        out << ':' << location_.column;
      }
    }
    out << ": ";
  }
  if (!field_.empty()) {
    out << field_ << ": ";
  }
  out << message_;
  return out.str();
}

}  // namespace clearcut::base
