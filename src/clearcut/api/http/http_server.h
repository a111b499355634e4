#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "clearcut/api/http/http_request.h"
#include "clearcut/api/http/http_response.h"
#include "clearcut/base/result.h"

namespace clearcut::http {

// Answers one request. Called on a handler thread, possibly on several threads at once; it
// may block (database calls). An exception it throws becomes a 500 with a generic body and a
// log line; the client never sees its text.
using HttpHandler = std::function<HttpResponse(const HttpRequest&)>;

struct HttpServerOptions {
  std::string address = "127.0.0.1";  // an IPv4 or IPv6 literal; "0.0.0.0" or "::" for all
  std::uint16_t port = 0;             // 0: the kernel picks one; see HttpServer::port()
  int threads = 2;                    // I/O threads: accept, read, parse, write, timers
  // Threads that run the handler. 0 runs it on the I/O thread that read the request: fewer
  // thread hops, but a slow handler then stalls every connection that thread serves.
  int handler_threads = 4;
  std::size_t max_body_bytes = 1 << 20;  // larger bodies: 413, the rest is never read
  // The limit for one request, by its method and target ("/a?b"), once its head is read; at most
  // max_body_bytes counts. A body announced larger is answered 413 before any of it is read; a
  // chunked one is cut off at the limit. Empty: max_body_bytes for every request. Called on an
  // I/O thread: it must be quick and must not block.
  std::function<std::size_t(std::string_view method, std::string_view target)> body_limit;
  std::size_t max_header_bytes = 16 << 10;  // request line and fields; larger: 431
  // A keep-alive connection may wait this long for the first byte of its next request.
  std::chrono::milliseconds idle_timeout = std::chrono::seconds(30);
  // Once a request's first byte has arrived, the whole request (headers and body) must arrive
  // within this; slow senders (slowloris) are cut off.
  std::chrono::milliseconds read_timeout = std::chrono::seconds(10);
  // A response must be taken by the client within this.
  std::chrono::milliseconds write_timeout = std::chrono::seconds(30);
  // stop() waits this long for in-flight requests before closing what is left.
  std::chrono::milliseconds shutdown_timeout = std::chrono::seconds(10);
  // Connections beyond this are answered 503 and closed at once.
  std::size_t max_connections = 10000;
  // Added to every response, the server's own 400/413/431/500/503 included, unless the
  // response already has a header of that name (security headers belong here).
  std::vector<std::pair<std::string, std::string>> default_headers;
};

// An HTTP/1.1 server: keep-alive, pipelining, HEAD, Expect: 100-continue, size limits and
// timeouts. It owns its threads from start() until stop(); stop() and wait() may be called
// from any thread except a handler thread. Failure to start (bad address, port in use) is an
// Error; failures of single connections are logged or answered, never thrown.
class HttpServer {
 public:
  // Binds, listens, raises RLIMIT_NOFILE to its hard limit and starts the threads.
  [[nodiscard]] static base::Result<std::unique_ptr<HttpServer>> start(HttpServerOptions options,
                                                                       HttpHandler handler);

  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;
  ~HttpServer();  // stop()s

  // The bound port (the kernel's choice when options.port was 0).
  std::uint16_t port() const;

  // Graceful shutdown: stops accepting, closes idle keep-alive connections, lets in-flight
  // requests finish (their responses carry Connection: close) for up to shutdown_timeout,
  // then closes the rest and joins the threads. Idempotent; not async-signal-safe (call it
  // from a thread that watches the signal, not from the signal handler itself). A handler that
  // never returns keeps stop() waiting for it: handlers must bound their own work.
  void stop();

  // Blocks until stop() has finished (on any thread).
  void wait();

  // True once stop() has begun.
  bool stopping() const;

  class Impl;

 private:
  explicit HttpServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace clearcut::http
