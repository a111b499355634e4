#include "clearcut/api/http/internal/beast_request.h"

#include <iterator>
#include <vector>

namespace clearcut::http::internal {
namespace bhttp = boost::beast::http;

std::optional<std::string_view> refuse_header(const BeastRequestHeader& header) {
  if (header.version() >= 11 && header.find(bhttp::field::host) == header.end()) {
    return "missing Host header";
  }
  std::vector<std::string_view> codings;
  for (const auto& field : header) {
    const std::string_view name(field.name_string().data(), field.name_string().size());
    if (!header_name_equals(name, "Transfer-Encoding")) {
      continue;
    }
    std::string_view list(field.value().data(), field.value().size());
    while (true) {
      const std::size_t comma = list.find(',');
      codings.push_back(trim_ows(list.substr(0, comma)));
      if (comma == std::string_view::npos) {
        break;
      }
      list.remove_prefix(comma + 1);
    }
  }
  if (codings.empty()) {
    return std::nullopt;
  }
  if (header.version() < 11) {
    return "Transfer-Encoding is not allowed in HTTP/1.0";
  }
  if (codings.size() != 1 || !header_name_equals(codings.front(), "chunked")) {
    return "unsupported Transfer-Encoding: only a single chunked coding is accepted";
  }
  if (header.find(bhttp::field::content_length) != header.end()) {
    return "Transfer-Encoding and Content-Length together";
  }
  return std::nullopt;
}

HttpRequest to_http_request(BeastRequest&& message) {
  HttpRequest request;
  request.method = std::string(message.method_string());
  if (message.method() == bhttp::verb::head) {
    request.method = "GET";
    request.head = true;
  }
  request.target = std::string(message.target());
  split_target(request.target, request.path, request.query);
  request.headers.reserve(static_cast<std::size_t>(std::distance(message.begin(), message.end())));
  for (const auto& field : message) {
    request.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
  }
  request.body = std::move(message.body());
  return request;
}

ReadErrorAnswer answer_read_error(const boost::beast::error_code& ec, std::size_t max_body_bytes) {
  if (ec == bhttp::error::body_limit) {
    return {413, "request body exceeds " + std::to_string(max_body_bytes) + " bytes"};
  }
  if (ec == bhttp::error::header_limit || ec == bhttp::error::buffer_overflow) {
    return {431, "request header fields too large"};
  }
  if (&ec.category() == &bhttp::make_error_code(bhttp::error::bad_method).category() &&
      ec != bhttp::error::end_of_stream && ec != bhttp::error::partial_message &&
      ec != bhttp::error::short_read && ec != bhttp::error::need_more) {
    return {400, "malformed request"};
  }
  return {};
}

}  // namespace clearcut::http::internal
