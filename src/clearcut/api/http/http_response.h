#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace clearcut::http {

// What an HttpHandler answers. The server adds the framing headers (Content-Length,
// Connection) and, unless the handler set them, Content-Type (from `content_type`), Date and
// Server. Any other header, security headers included, passes through as given.
struct HttpResponse {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::string content_type = "application/json";  // empty: send no Content-Type

  // The first header named `name` (case-insensitive), or nullopt.
  std::optional<std::string_view> header(std::string_view name) const;
  // Replaces every header named `name` (case-insensitive) with one `name: value`.
  void set_header(std::string_view name, std::string value);

  // A JSON response; `body` must already be JSON.
  static HttpResponse json(int status, std::string body);
  // The body every transport-level error carries: {"code":"...","message":"..."}, the same
  // shape as the API's errors. `code` and `message` are escaped as JSON strings.
  static HttpResponse error(int status, std::string_view code, std::string_view message);
};

}  // namespace clearcut::http
