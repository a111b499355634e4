#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace clearcut::http {

// One parsed HTTP/1.1 request as the server hands it to an HttpHandler. A plain value: the
// handler may copy or move from it freely; nothing in it refers to the connection.
struct HttpRequest {
  // The method as sent, upper case ("GET", "POST", ...). A HEAD request arrives as "GET" with
  // `head` set: the server drops the response body (RFC 9110 §9.3.2), so every GET route
  // answers HEAD without knowing about it.
  std::string method;
  bool head = false;
  std::string target;  // the request target as sent: "/v1/use-cases?state=open"
  std::string path;    // the target's path, still percent-encoded: "/v1/use-cases"
  std::string query;   // the target's query without '?', still encoded: "state=open"
  std::vector<std::pair<std::string, std::string>> headers;  // in arrival order, names as sent
  std::string body;
  std::string remote_address;  // the peer's IP address: "127.0.0.1", "::1"
  std::uint16_t remote_port = 0;

  // The first header named `name` (ASCII case-insensitive, RFC 9110 §5.1), or nullopt.
  std::optional<std::string_view> header(std::string_view name) const;

  // The first query parameter named `name`, percent-decoded with '+' read as a space
  // (application/x-www-form-urlencoded), or nullopt when absent. "?flag" yields "".
  std::optional<std::string> query_param(std::string_view name) const;
};

// `text` without leading and trailing spaces and tabs (optional whitespace, RFC 9110 §5.6.3).
std::string_view trim_ows(std::string_view text);

// ASCII case-insensitive comparison, as header field names compare (RFC 9110 §5.1).
bool header_name_equals(std::string_view a, std::string_view b);

// Splits a request target into its path and query (origin-form "/a?b", absolute-form
// "http://host/a?b", asterisk-form "*"). Exposed for the server and the tests.
void split_target(std::string_view target, std::string& path, std::string& query);

// Decodes %XX escapes; '+' becomes a space when `plus_is_space`. Malformed escapes are kept
// as they are (a lenient reader: the value is data for a route to validate, not a grammar).
std::string percent_decode(std::string_view text, bool plus_is_space);

}  // namespace clearcut::http
