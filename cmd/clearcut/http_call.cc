#include "cmd/clearcut/http_call.h"

#include <netdb.h>
#include <unistd.h>

#include <cstdlib>

#include <nlohmann/json.hpp>
#include <sys/socket.h>

#include "clearcut/base/text.h"

namespace clearcut::cmd {

base::Result<HttpReply> http_call(const std::string& server, const std::string& method,
                                  const std::string& target, const std::string& token,
                                  const std::string& body) {
  std::string rest = server;
  if (rest.rfind("http://", 0) != 0) {
    return base::invalid_argument("--server takes http://HOST:PORT");
  }
  rest = rest.substr(7);
  while (!rest.empty() && rest.back() == '/') {
    rest.pop_back();
  }
  size_t colon = rest.rfind(':');
  std::string host = colon == std::string::npos ? rest : rest.substr(0, colon);
  std::string port = colon == std::string::npos ? "80" : rest.substr(colon + 1);
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (::getaddrinfo(host.c_str(), port.c_str(), &hints, &found) != 0 || found == nullptr) {
    return base::Error(base::ErrorCode::kUnavailable, "cannot resolve " + host);
  }
  int fd = -1;
  for (addrinfo* a = found; a != nullptr && fd < 0; a = a->ai_next) {
    fd = ::socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
    if (fd >= 0 && ::connect(fd, a->ai_addr, a->ai_addrlen) != 0) {
      ::close(fd);
      fd = -1;
    }
  }
  ::freeaddrinfo(found);
  if (fd < 0) {
    return base::Error(base::ErrorCode::kUnavailable, "cannot connect to " + server);
  }
  std::string request = method + " " + target + " HTTP/1.1\r\nHost: " + host +
                        "\r\nAuthorization: Bearer " + token +
                        "\r\nAccept: application/json\r\nConnection: close\r\n";
  if (!body.empty()) {
    request +=
        "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) + "\r\n";
  }
  request += "\r\n" + body;
  size_t sent = 0;
  while (sent < request.size()) {
    ssize_t n = ::send(fd, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) {
      ::close(fd);
      return base::Error(base::ErrorCode::kUnavailable, "send to " + server + " failed");
    }
    sent += static_cast<size_t>(n);
  }
  std::string response;
  char buffer[8192];
  for (ssize_t n; (n = ::recv(fd, buffer, sizeof buffer, 0)) > 0;) {
    response.append(buffer, static_cast<size_t>(n));
  }
  ::close(fd);
  size_t head_end = response.find("\r\n\r\n");
  if (response.rfind("HTTP/1.", 0) != 0 || head_end == std::string::npos || response.size() < 12) {
    return base::Error(base::ErrorCode::kUnavailable, "no HTTP response from " + server);
  }
  HttpReply reply;
  reply.status = std::atoi(response.c_str() + 9);
  std::string head = response.substr(0, head_end);
  reply.body = response.substr(head_end + 4);
  head = base::ascii_lower(std::move(head));
  if (head.find("transfer-encoding: chunked") != std::string::npos) {
    std::string chunked = std::move(reply.body);
    reply.body.clear();
    size_t at = 0;
    while (at < chunked.size()) {
      size_t line_end = chunked.find("\r\n", at);
      if (line_end == std::string::npos) {
        break;
      }
      size_t size = std::strtoul(chunked.c_str() + at, nullptr, 16);
      if (size == 0) {
        break;
      }
      reply.body += chunked.substr(line_end + 2, size);
      at = line_end + 2 + size + 2;
    }
  }
  return reply;
}

base::Error http_error(const HttpReply& reply, const std::string& what) {
  auto j = nlohmann::json::parse(reply.body, nullptr, false);
  std::string message = "HTTP " + std::to_string(reply.status);
  if (j.is_object() && j.contains("error") && j["error"].is_object() &&
      j["error"].contains("message") && j["error"]["message"].is_string()) {
    message += ": " + j["error"]["message"].get<std::string>();
  } else if (j.is_object() && j.contains("message") && j["message"].is_string()) {
    message += ": " + j["message"].get<std::string>();
  }
  auto code = reply.status >= 500   ? base::ErrorCode::kUnavailable
              : reply.status == 404 ? base::ErrorCode::kNotFound
              : reply.status == 401 ? base::ErrorCode::kUnauthenticated
              : reply.status == 403 ? base::ErrorCode::kPermissionDenied
                                    : base::ErrorCode::kInvalidArgument;
  return base::Error(code, what + ": " + message);
}

}  // namespace clearcut::cmd
