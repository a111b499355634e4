#include "clearcut/api/http/request_reader.h"

#include <algorithm>
#include <cstdint>
#include <limits>

#include <boost/asio/buffer.hpp>
#include <boost/beast/http/parser.hpp>

#include "clearcut/api/http/internal/beast_request.h"

namespace clearcut::http {

RawRequest read_raw_request(std::string_view bytes, std::size_t max_header_bytes,
                            std::size_t max_body_bytes) {
  namespace bhttp = boost::beast::http;
  RawRequest out;
  bhttp::request_parser<bhttp::string_body> parser;
  parser.header_limit(static_cast<std::uint32_t>(
      std::min<std::size_t>(max_header_bytes, std::numeric_limits<std::uint32_t>::max())));
  parser.body_limit(max_body_bytes);
  parser.eager(true);
  bool header_checked = false;
  std::size_t offset = 0;
  while (!parser.is_done()) {
    boost::beast::error_code ec;
    const std::size_t used =
        parser.put(boost::asio::buffer(bytes.data() + offset, bytes.size() - offset), ec);
    offset += used;
    if (!header_checked && parser.is_header_done()) {
      header_checked = true;
      if (std::optional<std::string_view> refusal = internal::refuse_header(parser.get())) {
        out.status = 400;
        out.message = std::string(*refusal);
        return out;
      }
    }
    if (ec == bhttp::error::need_more || (!ec && used == 0)) {
      if (used == 0 || offset >= bytes.size()) {
        return out;  // incomplete: the server would wait for more
      }
      continue;
    }
    if (ec) {
      internal::ReadErrorAnswer answer = internal::answer_read_error(ec, max_body_bytes);
      out.status = answer.status;
      out.message = answer.message;
      return out;
    }
  }
  out.consumed = offset;
  out.keep_alive = parser.get().keep_alive();
  out.request = internal::to_http_request(parser.release());
  return out;
}

}  // namespace clearcut::http
