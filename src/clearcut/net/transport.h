#pragma once

#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "clearcut/base/result.h"

namespace clearcut::net {

// Where e-mail goes. `url`: smtp://host:port (STARTTLS when the server offers it; required
// when a user is set, so that a password never crosses in the clear) or smtps://host:port
// (TLS from the start).
struct SmtpOptions {
  std::string url;
  std::string user;                         // empty: no authentication
  std::string password;                     // read from a file by `serve` (--smtp-password-file)
  std::string from = "clearcut@localhost";  // the envelope and From: address
  std::chrono::milliseconds timeout{std::chrono::seconds(20)};
};

// Sends `message` (RFC 5322, CRLF line ends) to `to` through the server. kUnavailable naming
// what failed (connect, TLS, authentication, a refused recipient) when the server does not
// take it. Thread-safe (each call its own libcurl handle).
base::Status send_mail(const SmtpOptions& smtp, const std::string& to, const std::string& message);

// POSTs `body` with `headers` to `url`; OK when the receiver answers 2xx, else kUnavailable
// naming the status or the transport error. Redirects are not followed.
base::Status post(const std::string& url,
                  const std::vector<std::pair<std::string, std::string>>& headers,
                  const std::string& body, std::chrono::milliseconds timeout);

// What fetch() got back: any status (the caller decides what a 4xx means to it).
struct HttpReply {
  long status = 0;
  std::string content_type;  // the Content-Type header, empty when there is none
  std::string body;
};

struct FetchLimits {
  std::chrono::milliseconds timeout{std::chrono::seconds(10)};
  size_t max_body = size_t{1} << 20;  // a longer reply is kUnavailable, read no further
};

// Sends `method` ("GET", or "POST" with `body`) to `url` (http or https only; redirects are not
// followed) and returns the reply whatever its status. kUnavailable naming the URL and the
// transport error (connect, TLS, timeout) or a reply over `limits.max_body`. Thread-safe.
base::Result<HttpReply> fetch(const std::string& method, const std::string& url,
                              const std::vector<std::pair<std::string, std::string>>& headers,
                              const std::string& body, const FetchLimits& limits = {});

}  // namespace clearcut::net
