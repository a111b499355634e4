#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace clearcut::apitest {

using Headers = std::vector<std::pair<std::string, std::string>>;

// One HTTP/1.1 answer as read from the wire. `status` is 0 when the exchange failed (no
// connection, the peer closed early, a malformed answer); `error` then says why.
struct HttpAnswer {
  int status = 0;
  Headers headers;
  std::string body;
  std::string error;

  std::optional<std::string> header(std::string_view name) const;
  // The body as JSON; a discarded value (is_discarded()) when it is not JSON.
  nlohmann::json json() const;
};

// A blocking HTTP/1.1 client on a POSIX socket to 127.0.0.1:port: one connection per request
// (`Connection: close`), a Content-Length body, and a read guard of 10 s against hangs. The
// tests see the bytes on the wire, so it never retries, follows or fixes anything.
HttpAnswer http_request(uint16_t port, std::string_view method, std::string_view target,
                        std::string_view body = {}, const Headers& headers = {});

// Sends `raw` bytes as they are and reads one answer (for requests no client would send).
HttpAnswer http_exchange(uint16_t port, std::string_view raw);

}  // namespace clearcut::apitest
