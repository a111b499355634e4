#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "clearcut/api/http/http_request.h"

namespace clearcut::http {

// The first request in `bytes`, read the way HttpServer reads one off a connection (the same
// parser, limits and framing checks) but without a socket: for the fuzzer and tests.
struct RawRequest {
  std::optional<HttpRequest> request;  // set when the server would hand it to the handler
  int status = 0;            // else the server's own answer (400, 413, 431); 0: incomplete input
  std::string message;       // what that answer says
  std::size_t consumed = 0;  // bytes the request took; a pipelined next one starts there
  bool keep_alive = false;   // whether the connection would go on after it
};
RawRequest read_raw_request(std::string_view bytes, std::size_t max_header_bytes,
                            std::size_t max_body_bytes);

}  // namespace clearcut::http
