#pragma once

#include <string>
#include <string_view>

namespace clearcut::base {

// Canonical error codes; api/ maps each to one HTTP status, cmd/ to one exit code.
enum class ErrorCode {
  kInvalidArgument,
  kNotFound,
  kAlreadyExists,
  kPermissionDenied,
  kUnauthenticated,
  kFailedPrecondition,
  kUnavailable,
  kResourceExhausted,  // rate limits: too many attempts
  kDataLoss,
  kUnsupported,
  kInternal,
};

std::string_view error_code_name(ErrorCode code);

// Where in an input an error was found. Empty fields are omitted when printed.
struct SourceLocation {
  std::string file;
  int line = 0;    // 1-based; 0 when unknown
  int column = 0;  // 1-based; 0 when unknown
};

// An expected failure: a code, a message for people, and where it happened.
// `field` is a dotted path into the input (`pipeline[1].trains_on_data`), when one applies.
class Error {
 public:
  Error(ErrorCode code, std::string message) : code_(code), message_(std::move(message)) {}

  ErrorCode code() const { return code_; }
  const std::string& message() const { return message_; }
  const std::string& field() const { return field_; }
  const SourceLocation& location() const { return location_; }

  Error& with_field(std::string field) {
    field_ = std::move(field);
    return *this;
  }
  Error& with_location(SourceLocation location) {
    location_ = std::move(location);
    return *this;
  }
  // Prefixes the message with what the caller was doing ("load policy pack: ...").
  Error& with_context(std::string_view context);

  // "file:line:col: field: message", omitting what is unknown.
  std::string to_string() const;

 private:
  ErrorCode code_;
  std::string message_;
  std::string field_;
  SourceLocation location_;
};

inline Error invalid_argument(std::string message) {
  return Error(ErrorCode::kInvalidArgument, std::move(message));
}
inline Error not_found(std::string message) {
  return Error(ErrorCode::kNotFound, std::move(message));
}
inline Error internal_error(std::string message) {
  return Error(ErrorCode::kInternal, std::move(message));
}

}  // namespace clearcut::base
