// Holds N idle HTTP/1.1 keep-alive connections open to host:port until SIGINT or SIGTERM, so
// that a load test (bench/http_bench.sh, wrk) measures a server that also carries them.
//
//   idle_connections HOST PORT N [--warm PATH]
//
// With --warm, each connection first sends one GET for PATH and reads its answer, so that it
// is a keep-alive connection after a request (as a browser's are) rather than a never-used one.
// A connection the server closes (idle timeout) is opened again, so N stay open throughout.
// Prints "holding N" on stdout once all are open.

#include <netdb.h>
#include <poll.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include <sys/resource.h>
#include <sys/socket.h>

namespace {

volatile std::sig_atomic_t g_stop = 0;

void on_signal(int) {
  g_stop = 1;
}

struct Target {
  addrinfo* address = nullptr;
  std::string warm_request;  // empty: no warm-up request
};

bool send_all(int fd, const std::string& data) {
  std::size_t sent = 0;
  while (sent < data.size()) {
    const ssize_t n = ::send(fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) {
      return false;
    }
    sent += static_cast<std::size_t>(n);
  }
  return true;
}

// Reads one response to the warm-up request: headers, then Content-Length bytes of body.
bool read_response(int fd) {
  std::string buffer;
  char chunk[4096];
  std::size_t header_end = std::string::npos;
  while ((header_end = buffer.find("\r\n\r\n")) == std::string::npos) {
    const ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
    if (n <= 0) {
      return false;
    }
    buffer.append(chunk, static_cast<std::size_t>(n));
  }
  std::size_t length = 0;
  std::string lower = buffer.substr(0, header_end);
  for (char& c : lower) {
    c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  const std::size_t field = lower.find("\r\ncontent-length:");
  if (field != std::string::npos) {
    length = std::strtoul(lower.c_str() + field + 17, nullptr, 10);
  }
  while (buffer.size() < header_end + 4 + length) {
    const ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
    if (n <= 0) {
      return false;
    }
    buffer.append(chunk, static_cast<std::size_t>(n));
  }
  return true;
}

int open_connection(const Target& target) {
  const int fd = ::socket(target.address->ai_family, SOCK_STREAM, 0);
  if (fd < 0) {
    return -1;
  }
  if (::connect(fd, target.address->ai_addr, target.address->ai_addrlen) != 0 ||
      (!target.warm_request.empty() &&
       (!send_all(fd, target.warm_request) || !read_response(fd)))) {
    ::close(fd);
    return -1;
  }
  return fd;
}

void raise_fd_limit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max == RLIM_INFINITY ? rlim_t{1} << 20 : limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4 && !(argc == 6 && std::strcmp(argv[4], "--warm") == 0)) {
    std::fprintf(stderr, "usage: %s HOST PORT N [--warm PATH]\n", argv[0]);
    return 2;
  }
  const std::string host = argv[1];
  const char* port = argv[2];
  const long count = std::strtol(argv[3], nullptr, 10);
  if (count <= 0) {
    std::fprintf(stderr, "N must be a positive number\n");
    return 2;
  }
  raise_fd_limit();

  Target target;
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  if (const int rc = ::getaddrinfo(host.c_str(), port, &hints, &target.address); rc != 0) {
    std::fprintf(stderr, "%s:%s: %s\n", host.c_str(), port, ::gai_strerror(rc));
    return 1;
  }
  if (argc == 6) {
    target.warm_request =
        std::string("GET ") + argv[5] + " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\n\r\n";
  }
  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);

  std::vector<pollfd> connections(static_cast<std::size_t>(count));
  for (auto& connection : connections) {
    connection.fd = open_connection(target);
    connection.events = POLLIN;
    if (connection.fd < 0) {
      std::fprintf(stderr, "connect to %s:%s failed: %s\n", host.c_str(), port,
                   std::strerror(errno));
      return 1;
    }
  }
  std::printf("holding %ld\n", count);
  std::fflush(stdout);

  long reopened = 0;
  while (g_stop == 0) {
    if (::poll(connections.data(), connections.size(), 1000) <= 0) {
      continue;
    }
    for (auto& connection : connections) {
      if (connection.revents == 0) {
        continue;
      }
      char scratch[4096];
      if (::recv(connection.fd, scratch, sizeof scratch, MSG_DONTWAIT) > 0) {
        continue;  // unexpected bytes: drop them, the connection stays
      }
      ::close(connection.fd);  // closed by the server: replace it
      connection.fd = open_connection(target);
      connection.revents = 0;
      if (connection.fd < 0) {
        std::fprintf(stderr, "reconnect failed: %s\n", std::strerror(errno));
        return 1;
      }
      ++reopened;
    }
  }
  for (const auto& connection : connections) {
    ::close(connection.fd);
  }
  ::freeaddrinfo(target.address);
  std::fprintf(stderr, "idle_connections: held %ld, reopened %ld after server closes\n", count,
               reopened);
  return 0;
}
