#pragma once

// The REST API's route table. Internal to api/.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "clearcut/api/http/http_request.h"
#include "clearcut/api/http/http_response.h"
#include "clearcut/base/result.h"
#include "clearcut/clearance/actor.h"

namespace clearcut::api {

// What a handler is given: the request, the path's parameters, and who is calling (set for
// authenticated routes). Typed getters for ids and query integers, whose errors name the field.
struct RequestContext {
  const http::HttpRequest& request;
  std::map<std::string, std::string> params;
  std::optional<clearance::Actor> actor;
  bool via_session = false;    // signed in with the session cookie, not a bearer token
  std::string session_secret;  // the cookie's value when via_session

  // The path parameter `name` as a positive id; kNotFound ("no such NAME") otherwise.
  base::Result<int64_t> id(const std::string& name) const;
  // The query parameter `name` as an integer in [min, max]; `fallback` when absent, unless
  // fallback < min, which makes the parameter required.
  base::Result<int64_t> query_int(const std::string& name, int64_t fallback, int64_t min,
                                  int64_t max) const;
};

using Handler = std::function<base::Result<http::HttpResponse>(RequestContext&)>;

enum class Access { kPublic, kAuthenticated };

// Routes by method and path pattern ("/api/v1/use-cases/{use_case}": a "{name}" segment matches
// any one segment and becomes a parameter), tried in the order they were added: add literal
// patterns before parameter patterns they overlap ("/assets/lookup" before "/assets/{asset}").
// Built once, then read by many threads.
class Router {
 public:
  struct Route {
    std::string method;
    std::vector<std::string> segments;
    Access access;
    Handler handler;
    std::size_t max_body_bytes = 0;  // 0: the API's JSON limit (ApiServer)
  };

  // What match() found: the route for the request's method (null when none), and whether the
  // path is known under another method (a 405 rather than a 404).
  struct Match {
    const Route* route = nullptr;
    bool path_known = false;
    std::map<std::string, std::string> params;
  };

  // `max_body_bytes` above 0 lets the route take larger bodies than JSON requests (uploads).
  void add(std::string method, std::string_view pattern, Access access, Handler handler,
           std::size_t max_body_bytes = 0);

  // kInvalidArgument (naming the parameter) when a parameter is not UTF-8 text without NUL.
  base::Result<Match> match(const http::HttpRequest& request) const;

  // "GET /api/v1/tools", ... in the order added.
  std::vector<std::string> routes() const;

 private:
  std::vector<Route> routes_;
};

}  // namespace clearcut::api
