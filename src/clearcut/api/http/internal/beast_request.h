#pragma once

// What the server and read_raw_request share about turning Beast's parsed messages into
// HttpRequests: framing checks, the conversion, and the answer to a parse error. Internal to
// api/http (includes Boost.Beast); included only by .cc files there.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include <boost/beast/http/error.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include "clearcut/api/http/http_request.h"

namespace clearcut::http::internal {

using BeastRequest = boost::beast::http::request<boost::beast::http::string_body>;
using BeastRequestHeader = boost::beast::http::request_header<>;

// Why a request's framing cannot be trusted, or nullopt when it can. Only one transfer coding
// is understood, a single final `chunked` (RFC 9112 §6.1); Transfer-Encoding on HTTP/1.0 or
// beside a Content-Length is faulty framing (§6.1, §6.3). A missing Host on HTTP/1.1 too
// (§3.2). The server answers 400 and closes: guessing would read a body as the next request.
std::optional<std::string_view> refuse_header(const BeastRequestHeader& header);

// The parsed message as a handler sees it (remote address and port left empty).
HttpRequest to_http_request(BeastRequest&& message);

// The server's own answer to a read error: {status, message}, or status 0 when the connection
// just closes (timeouts, the peer going away, stop()).
struct ReadErrorAnswer {
  int status = 0;
  std::string message;
};
ReadErrorAnswer answer_read_error(const boost::beast::error_code& ec, std::size_t max_body_bytes);

}  // namespace clearcut::http::internal
