#pragma once

#include <string>

namespace clearcut::crypto {

// The first reason OpenSSL queued on this thread (empty when none), and an empty queue
// afterwards, so that one failure never shows up in an unrelated later call. For messages to
// people only: never branch on the text.
std::string last_error_text();

}  // namespace clearcut::crypto
