#pragma once

// The CLI's client for a clearcut server's REST API (`stamp --server`, `inspect --server`).

#include <string>

#include "clearcut/base/result.h"

namespace clearcut::cmd {

struct HttpReply {
  int status = 0;
  std::string body;
};

// A one-shot HTTP/1.1 exchange with a clearcut server over plain TCP ("http://HOST:PORT"), with
// `Authorization: Bearer TOKEN`; a non-empty body is sent as JSON. Enough for the few calls a
// command makes, on loopback or behind a TLS-terminating proxy on the same host. A transport
// failure is kUnavailable; any HTTP status is a reply.
base::Result<HttpReply> http_call(const std::string& server, const std::string& method,
                                  const std::string& target, const std::string& token,
                                  const std::string& body);

// The server's error message (or the bare status) as an error of the matching code, prefixed by
// `what`: 401 kUnauthenticated, 403 kPermissionDenied, 404 kNotFound, 5xx kUnavailable, other
// 4xx kInvalidArgument.
base::Error http_error(const HttpReply& reply, const std::string& what);

}  // namespace clearcut::cmd
