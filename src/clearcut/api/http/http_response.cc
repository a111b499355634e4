#include "clearcut/api/http/http_response.h"

#include <algorithm>

#include "clearcut/api/http/http_request.h"
#include "clearcut/base/json_text.h"
#include "clearcut/base/utf8.h"

namespace clearcut::http {
namespace {

// A JSON string of `text`; bytes that are not UTF-8 (a client's path, say) become U+FFFD, so
// the answer is always valid JSON.
void append_json_string(std::string& out, std::string_view text) {
  out.push_back('"');
  while (!text.empty()) {
    std::optional<size_t> bad = base::find_invalid_utf8(text);
    base::append_json_escaped(out, text.substr(0, bad.value_or(text.size())));
    if (!bad) {
      break;
    }
    out += "\\ufffd";
    text.remove_prefix(*bad + 1);
  }
  out.push_back('"');
}

}  // namespace

std::optional<std::string_view> HttpResponse::header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (header_name_equals(key, name)) {
      return std::string_view(value);
    }
  }
  return std::nullopt;
}

void HttpResponse::set_header(std::string_view name, std::string value) {
  std::erase_if(headers, [&](const auto& field) { return header_name_equals(field.first, name); });
  headers.emplace_back(std::string(name), std::move(value));
}

HttpResponse HttpResponse::json(int status, std::string body) {
  HttpResponse response;
  response.status = status;
  response.body = std::move(body);
  return response;
}

HttpResponse HttpResponse::error(int status, std::string_view code, std::string_view message) {
  std::string body = "{\"code\":";
  append_json_string(body, code);
  body += ",\"message\":";
  append_json_string(body, message);
  body += "}";
  return json(status, std::move(body));
}

}  // namespace clearcut::http
