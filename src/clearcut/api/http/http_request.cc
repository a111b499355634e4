#include "clearcut/api/http/http_request.h"

#include <cstddef>

namespace clearcut::http {
namespace {

char ascii_lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

}  // namespace

std::string_view trim_ows(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) {
    text.remove_prefix(1);
  }
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) {
    text.remove_suffix(1);
  }
  return text;
}

bool header_name_equals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) {
    return false;
  }
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (ascii_lower(a[i]) != ascii_lower(b[i])) {
      return false;
    }
  }
  return true;
}

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  if (c >= 'a' && c <= 'f') {
    return c - 'a' + 10;
  }
  if (c >= 'A' && c <= 'F') {
    return c - 'A' + 10;
  }
  return -1;
}

}  // namespace

std::optional<std::string_view> HttpRequest::header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (header_name_equals(key, name)) {
      return std::string_view(value);
    }
  }
  return std::nullopt;
}

std::optional<std::string> HttpRequest::query_param(std::string_view name) const {
  std::string_view rest = query;
  while (!rest.empty()) {
    const std::size_t amp = rest.find('&');
    const std::string_view pair = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
    const std::size_t eq = pair.find('=');
    const std::string_view key = pair.substr(0, eq);
    // Keys are compared decoded, so "?use%5Fcase=1" finds "use_case" as a browser means it.
    if (percent_decode(key, true) != name) {
      continue;
    }
    return eq == std::string_view::npos ? std::string() : percent_decode(pair.substr(eq + 1), true);
  }
  return std::nullopt;
}

void split_target(std::string_view target, std::string& path, std::string& query) {
  std::string_view rest = target;
  // absolute-form (RFC 9112 §3.2.2): drop "scheme://authority", keep the path that follows.
  if (!rest.empty() && rest.front() != '/' && rest != "*") {
    const std::size_t scheme_end = rest.find("://");
    if (scheme_end != std::string_view::npos) {
      rest = rest.substr(scheme_end + 3);
      const std::size_t path_start = rest.find_first_of("/?");
      rest = path_start == std::string_view::npos ? std::string_view() : rest.substr(path_start);
    }
  }
  const std::size_t fragment = rest.find('#');
  rest = rest.substr(0, fragment);
  const std::size_t question = rest.find('?');
  const std::string_view path_part = rest.substr(0, question);
  path.assign(path_part.empty() ? std::string_view("/") : path_part);
  query.assign(question == std::string_view::npos ? std::string_view() : rest.substr(question + 1));
}

std::string percent_decode(std::string_view text, bool plus_is_space) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '%' && i + 2 < text.size()) {
      const int hi = hex_value(text[i + 1]);
      const int lo = hex_value(text[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
        continue;
      }
    }
    out.push_back(plus_is_space && c == '+' ? ' ' : c);
  }
  return out;
}

}  // namespace clearcut::http
