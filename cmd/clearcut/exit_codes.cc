#include "cmd/clearcut/exit_codes.h"

#include <cstdio>

namespace clearcut::cmd {

int exit_code(base::ErrorCode code) {
  switch (code) {
    case base::ErrorCode::kInternal:
      return kExitInternalError;
    case base::ErrorCode::kInvalidArgument:
    case base::ErrorCode::kNotFound:
    case base::ErrorCode::kAlreadyExists:
    case base::ErrorCode::kPermissionDenied:
    case base::ErrorCode::kUnauthenticated:
    case base::ErrorCode::kFailedPrecondition:
    case base::ErrorCode::kUnavailable:
    case base::ErrorCode::kResourceExhausted:
    case base::ErrorCode::kDataLoss:
    case base::ErrorCode::kUnsupported:
      return kExitInvalidInput;
  }
  return kExitInternalError;
}

int fail(std::string_view command, const base::Error& error) {
  std::fprintf(stderr, "clearcut %.*s: %s\n", static_cast<int>(command.size()), command.data(),
               error.to_string().c_str());
  return exit_code(error);
}

int usage_error(std::string_view command, std::string_view message) {
  std::fprintf(stderr, "clearcut %.*s: %.*s\n", static_cast<int>(command.size()), command.data(),
               static_cast<int>(message.size()), message.data());
  return kExitInvalidInput;
}

std::string exit_codes_footer(std::initializer_list<ExitAnswer> answers) {
  std::string out = "Exit codes:\n";
  // "  CODE  meaning", wrapped at 80 columns under the meaning.
  auto row = [&out](int code, std::string_view meaning) {
    constexpr size_t kIndent = 6;
    constexpr size_t kWidth = 80;
    std::string number = std::to_string(code);
    std::string line = "  " + number + std::string(kIndent - 2 - number.size(), ' ');
    size_t used = line.size();
    while (!meaning.empty()) {
      size_t end = meaning.find(' ');
      std::string_view word = meaning.substr(0, end);
      if (used > kIndent && used + 1 + word.size() > kWidth) {
        line += "\n" + std::string(kIndent, ' ');
        used = kIndent;
      } else if (used > kIndent) {
        line += ' ';
        ++used;
      }
      line += word;
      used += word.size();
      meaning = end == std::string_view::npos ? std::string_view() : meaning.substr(end + 1);
    }
    out += line + "\n";
  };
  for (const ExitAnswer& answer : answers) {
    row(answer.code, answer.meaning);
  }
  row(kExitInvalidInput,
      "an error stopped the command: bad flags or input, an unknown name, a refusal, or a "
      "database or file that cannot be reached, read or written (the message says which)");
  row(kExitInternalError, "an internal error in clearcut (please report it)");
  return out;
}

}  // namespace clearcut::cmd
