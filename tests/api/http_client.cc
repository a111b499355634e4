#include "tests/api/http_client.h"

#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <charconv>
#include <cstring>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

namespace clearcut::apitest {
namespace {

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) {
    return false;
  }
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

HttpAnswer failure(std::string why) {
  HttpAnswer answer;
  answer.error = std::move(why);
  return answer;
}

class Socket {
 public:
  Socket() : fd_(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) {}
  ~Socket() {
    if (fd_ >= 0) {
      ::close(fd_);
    }
  }
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;
  int fd() const { return fd_; }

 private:
  int fd_;
};

// Parses "HTTP/1.1 200 OK\r\n" headers "\r\n\r\n" body, framed by Content-Length or the end of
// the stream.
HttpAnswer parse_answer(const std::string& raw) {
  size_t head_end = raw.find("\r\n\r\n");
  if (head_end == std::string::npos) {
    return failure("no complete header block in " + std::to_string(raw.size()) + " bytes");
  }
  std::string_view head(raw.data(), head_end);
  size_t line_end = head.find("\r\n");
  std::string_view status_line = head.substr(0, line_end);
  if (status_line.size() < 12 || status_line.substr(0, 9) != "HTTP/1.1 ") {
    return failure("bad status line: " + std::string(status_line));
  }
  HttpAnswer answer;
  auto [ptr, ec] = std::from_chars(status_line.data() + 9, status_line.data() + 12, answer.status);
  if (ec != std::errc() || ptr != status_line.data() + 12) {
    return failure("bad status line: " + std::string(status_line));
  }
  std::optional<size_t> content_length;
  while (line_end != std::string_view::npos) {
    size_t start = line_end + 2;
    line_end = head.find("\r\n", start);
    std::string_view line = head.substr(
        start, line_end == std::string_view::npos ? std::string_view::npos : line_end - start);
    size_t colon = line.find(':');
    if (colon == std::string_view::npos) {
      return failure("bad header line: " + std::string(line));
    }
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') {
      value.remove_prefix(1);
    }
    answer.headers.emplace_back(std::string(line.substr(0, colon)), std::string(value));
    if (iequals(line.substr(0, colon), "Content-Length")) {
      size_t length = 0;
      std::from_chars(value.data(), value.data() + value.size(), length);
      content_length = length;
    }
  }
  std::string body = raw.substr(head_end + 4);
  if (content_length) {
    if (body.size() < *content_length) {
      return failure("body cut short: " + std::to_string(body.size()) + " of " +
                     std::to_string(*content_length) + " bytes");
    }
    body.resize(*content_length);
  }
  answer.body = std::move(body);
  return answer;
}

}  // namespace

std::optional<std::string> HttpAnswer::header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (iequals(key, name)) {
      return value;
    }
  }
  return std::nullopt;
}

nlohmann::json HttpAnswer::json() const {
  return nlohmann::json::parse(body, nullptr, false);
}

HttpAnswer http_exchange(uint16_t port, std::string_view raw) {
  Socket socket;
  if (socket.fd() < 0) {
    return failure(std::string("socket: ") + std::strerror(errno));
  }
  timeval guard{};
  guard.tv_sec = 10;
  ::setsockopt(socket.fd(), SOL_SOCKET, SO_RCVTIMEO, &guard, sizeof guard);
  ::setsockopt(socket.fd(), SOL_SOCKET, SO_SNDTIMEO, &guard, sizeof guard);
  const int one = 1;
  ::setsockopt(socket.fd(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(socket.fd(), reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
    return failure(std::string("connect: ") + std::strerror(errno));
  }
  // A server may answer (413) and stop reading before the request is sent: a failed send is
  // not yet a failed exchange, the answer may be waiting.
  while (!raw.empty()) {
    ssize_t n = ::send(socket.fd(), raw.data(), raw.size(), MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      break;
    }
    raw.remove_prefix(static_cast<size_t>(n));
  }
  std::string received;
  char buffer[16384];
  for (;;) {
    ssize_t n = ::recv(socket.fd(), buffer, sizeof buffer, 0);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n < 0) {
      if (received.find("\r\n\r\n") == std::string::npos) {
        return failure(std::string("recv: ") + std::strerror(errno));
      }
      break;  // a reset after the answer (the server discarding the rest of a large body)
    }
    if (n == 0) {
      break;
    }
    received.append(buffer, static_cast<size_t>(n));
  }
  if (received.empty()) {
    return failure("the server closed the connection without an answer");
  }
  return parse_answer(received);
}

HttpAnswer http_request(uint16_t port, std::string_view method, std::string_view target,
                        std::string_view body, const Headers& headers) {
  std::string raw;
  raw.reserve(256 + body.size());
  raw.append(method).append(" ").append(target).append(" HTTP/1.1\r\n");
  raw.append("Host: 127.0.0.1:").append(std::to_string(port)).append("\r\n");
  raw.append("Connection: close\r\n");
  bool has_body = !body.empty() || method == "POST" || method == "PUT";
  if (has_body) {
    raw.append("Content-Type: application/json\r\n");
    raw.append("Content-Length: ").append(std::to_string(body.size())).append("\r\n");
  }
  for (const auto& [name, value] : headers) {
    raw.append(name).append(": ").append(value).append("\r\n");
  }
  raw.append("\r\n");
  raw.append(body);
  return http_exchange(port, raw);
}

}  // namespace clearcut::apitest
