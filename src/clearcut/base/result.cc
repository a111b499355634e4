#include "clearcut/base/result.h"

namespace clearcut::base {

void check_failed(const char* expr, const char* file, int line, const char* message) {
  std::fprintf(stderr, "%s:%d: CC_CHECK failed: %s%s%s\n", file, line, expr, message ? ": " : "",
               message ? message : "");
  std::abort();
}

}  // namespace clearcut::base
