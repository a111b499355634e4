#include "clearcut/api/router.h"

#include <charconv>

#include "clearcut/base/utf8.h"

namespace clearcut::api {
namespace {

std::vector<std::string> split_path(std::string_view path) {
  std::vector<std::string> segments;
  size_t start = 0;
  while (start < path.size()) {
    size_t slash = path.find('/', start);
    if (slash == std::string_view::npos) {
      slash = path.size();
    }
    if (slash > start) {
      segments.emplace_back(path.substr(start, slash - start));
    }
    start = slash + 1;
  }
  return segments;
}

}  // namespace

base::Result<int64_t> RequestContext::id(const std::string& name) const {
  const std::string& text = params.at(name);
  int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value <= 0) {
    return base::not_found("no such " + name + " '" + text + "'");
  }
  return value;
}

base::Result<int64_t> RequestContext::query_int(const std::string& name, int64_t fallback,
                                                int64_t min, int64_t max) const {
  std::optional<std::string> text = request.query_param(name);
  if (!text) {
    if (fallback < min) {
      return base::invalid_argument("required query parameter").with_field(name);
    }
    return fallback;
  }
  int64_t value = 0;
  auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (ec != std::errc() || end != text->data() + text->size() || value < min || value > max) {
    return base::invalid_argument("expected an integer from " + std::to_string(min) + " to " +
                                  std::to_string(max))
        .with_field(name);
  }
  return value;
}

void Router::add(std::string method, std::string_view pattern, Access access, Handler handler,
                 std::size_t max_body_bytes) {
  routes_.push_back(
      {std::move(method), split_path(pattern), access, std::move(handler), max_body_bytes});
}

base::Result<Router::Match> Router::match(const http::HttpRequest& request) const {
  std::vector<std::string> segments = split_path(request.path);
  Match found;
  for (const Route& route : routes_) {
    if (route.segments.size() != segments.size()) {
      continue;
    }
    std::map<std::string, std::string> params;
    bool match = true;
    for (size_t i = 0; i < segments.size() && match; ++i) {
      const std::string& want = route.segments[i];
      if (want.size() > 2 && want.front() == '{' && want.back() == '}') {
        std::string name = want.substr(1, want.size() - 2);
        std::string value = http::percent_decode(segments[i], false);
        if (base::find_invalid_utf8(value) || value.find('\0') != std::string::npos) {
          // Identifiers are UTF-8 text; raw bytes would otherwise reach error messages.
          return base::invalid_argument("not UTF-8 text without NUL").with_field(std::move(name));
        }
        params[std::move(name)] = std::move(value);
      } else {
        match = want == segments[i];
      }
    }
    if (!match) {
      continue;
    }
    found.path_known = true;
    if (route.method == request.method) {
      found.route = &route;
      found.params = std::move(params);
      return found;
    }
  }
  return found;
}

std::vector<std::string> Router::routes() const {
  std::vector<std::string> out;
  for (const Route& r : routes_) {
    std::string path;
    for (const std::string& s : r.segments) {
      path += "/" + s;
    }
    out.push_back(r.method + " " + path);
  }
  return out;
}

}  // namespace clearcut::api
