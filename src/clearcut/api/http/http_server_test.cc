// HttpServer against real sockets: framing, limits, keep-alive, slow and hostile clients,
// shutdown. One file (over 800 lines) because the tests share a server fixture and raw-socket
// client helpers that only they need.

#include "clearcut/api/http/http_server.h"

#include <poll.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

namespace clearcut::http {
namespace {

using namespace std::chrono_literals;

// Every blocking read in these tests gives up after this: a guard against hangs, never a
// measurement. Timeouts under test are far shorter.
constexpr auto kHangGuard = 10s;

struct ClientResponse {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  std::optional<std::string> header(std::string_view name) const {
    for (const auto& [key, value] : headers) {
      if (header_name_equals(key, name)) {
        return value;
      }
    }
    return std::nullopt;
  }
};

// A blocking HTTP/1.1 client on a plain POSIX socket, so that the tests see the bytes on the
// wire and can misbehave (trickle, oversize, garbage) as real clients do.
class Client {
 public:
  explicit Client(std::uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    timeval guard{};
    guard.tv_sec = std::chrono::duration_cast<std::chrono::seconds>(kHangGuard).count();
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &guard, sizeof guard);
    ::setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &guard, sizeof guard);
    const int one = 1;
    ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0;
  }
  ~Client() {
    if (fd_ >= 0) {
      ::close(fd_);
    }
  }
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  bool connected() const { return connected_; }

  bool send_all(std::string_view data) {
    while (!data.empty()) {
      const ssize_t n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
      if (n <= 0) {
        return false;
      }
      data.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
  }

  // Reads one response; `head` for a response to HEAD (headers only). nullopt when the
  // connection closed or the guard expired first.
  std::optional<ClientResponse> read_response(bool head = false) {
    std::size_t header_end;
    while ((header_end = buffer_.find("\r\n\r\n")) == std::string::npos) {
      if (!fill()) {
        return std::nullopt;
      }
    }
    ClientResponse response;
    const std::string head_text = buffer_.substr(0, header_end);
    buffer_.erase(0, header_end + 4);
    std::size_t line_end = head_text.find("\r\n");
    const std::string status_line = head_text.substr(0, line_end);
    if (status_line.size() < 12 || status_line.compare(0, 5, "HTTP/") != 0) {
      return std::nullopt;
    }
    response.status = std::stoi(status_line.substr(9, 3));
    while (line_end != std::string::npos) {
      const std::size_t start = line_end + 2;
      line_end = head_text.find("\r\n", start);
      const std::string line = head_text.substr(start, line_end - start);
      const std::size_t colon = line.find(':');
      if (colon == std::string::npos) {
        continue;
      }
      std::string value = line.substr(colon + 1);
      value.erase(0, value.find_first_not_of(' '));
      response.headers.emplace_back(line.substr(0, colon), value);
    }
    const bool no_body =
        head || response.status < 200 || response.status == 204 || response.status == 304;
    const auto length = response.header("Content-Length");
    if (!no_body && length) {
      const std::size_t size = std::stoul(*length);
      while (buffer_.size() < size) {
        if (!fill()) {
          return std::nullopt;
        }
      }
      response.body = buffer_.substr(0, size);
      buffer_.erase(0, size);
    }
    return response;
  }

  std::optional<ClientResponse> request(std::string_view method, std::string_view target,
                                        std::string_view body = "",
                                        std::string_view extra_headers = "") {
    std::string text = std::string(method) + " " + std::string(target) +
                       " HTTP/1.1\r\nHost: test\r\n" + std::string(extra_headers);
    if (!body.empty() || method == "POST") {
      text += "Content-Length: " + std::to_string(body.size()) + "\r\n";
    }
    text += "\r\n";
    text += body;
    if (!send_all(text)) {
      return std::nullopt;
    }
    return read_response(method == "HEAD");
  }

  // What arrives until the server closes the connection (EOF or reset), or nullopt when the
  // guard expires first.
  std::optional<std::string> read_until_closed() {
    std::string received = std::move(buffer_);
    buffer_.clear();
    char scratch[4096];
    for (;;) {
      const ssize_t n = ::recv(fd_, scratch, sizeof scratch, 0);
      if (n == 0 || (n < 0 && errno == ECONNRESET)) {
        return received;
      }
      if (n < 0) {
        return std::nullopt;
      }
      received.append(scratch, static_cast<std::size_t>(n));
    }
  }

  // True when the server closes the connection before the guard expires.
  bool wait_closed() { return read_until_closed().has_value(); }

  void close() {
    if (fd_ >= 0) {
      ::close(fd_);
      fd_ = -1;
    }
  }

  // Non-blocking: has the server closed (or reset) the connection already?
  bool closed_now() {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, 0) <= 0) {
      return false;
    }
    char scratch[256];
    const ssize_t n = ::recv(fd_, scratch, sizeof scratch, MSG_DONTWAIT);
    return n == 0 || (n < 0 && errno == ECONNRESET);
  }

 private:
  bool fill() {
    char chunk[16384];
    const ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n <= 0) {
      return false;
    }
    buffer_.append(chunk, static_cast<std::size_t>(n));
    return true;
  }

  int fd_ = -1;
  bool connected_ = false;
  std::string buffer_;
};

std::unique_ptr<HttpServer> start_server(HttpServerOptions options, HttpHandler handler) {
  auto server = HttpServer::start(std::move(options), std::move(handler));
  if (!server) {
    ADD_FAILURE() << server.error().to_string();
    return nullptr;
  }
  return std::move(server).value();
}

// Echoes what it was asked, so a test can check what the server parsed.
HttpResponse echo(const HttpRequest& request) {
  HttpResponse response;
  response.body = request.method + " " + request.path +
                  " q=" + request.query_param("q").value_or("-") +
                  " h=" + std::string(request.header("x-test").value_or("-")) +
                  " head=" + (request.head ? "1" : "0") + " body=" + request.body;
  response.content_type = "text/plain";
  return response;
}

TEST(HttpServerTest, GetAndPostRoundTrip) {
  auto server = start_server({}, echo);
  ASSERT_TRUE(server);
  Client client(server->port());
  ASSERT_TRUE(client.connected());

  auto get = client.request("GET", "/v1/things?q=a%20b", "", "X-Test: yes\r\n");
  ASSERT_TRUE(get);
  EXPECT_EQ(get->status, 200);
  EXPECT_EQ(get->body, "GET /v1/things q=a b h=yes head=0 body=");
  EXPECT_EQ(get->header("Content-Type"), "text/plain");
  EXPECT_EQ(get->header("Server"), "clearcut");
  EXPECT_TRUE(get->header("Date").has_value());
  EXPECT_FALSE(get->header("Connection").has_value());  // HTTP/1.1 keeps alive by default

  auto post = client.request("POST", "/v1/things", R"({"a":1})");
  ASSERT_TRUE(post);
  EXPECT_EQ(post->status, 200);
  EXPECT_EQ(post->body, R"(POST /v1/things q=- h=- head=0 body={"a":1})");
}

TEST(HttpServerTest, JsonIsTheDefaultContentTypeAndHeadersPassThrough) {
  auto server = start_server({}, [](const HttpRequest&) {
    HttpResponse response = HttpResponse::json(201, R"({"id":"u1"})");
    response.headers = {{"Location", "/v1/u/u1"},
                        {"X-Frame-Options", "DENY"},
                        {"Content-Length", "999"}};  // framing is the server's: ignored
    return response;
  });
  ASSERT_TRUE(server);
  Client client(server->port());
  auto response = client.request("POST", "/v1/u", "{}");
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 201);
  EXPECT_EQ(response->body, R"({"id":"u1"})");
  EXPECT_EQ(response->header("Content-Type"), "application/json");
  EXPECT_EQ(response->header("Content-Length"), "11");
  EXPECT_EQ(response->header("Location"), "/v1/u/u1");
  EXPECT_EQ(response->header("X-Frame-Options"), "DENY");
}

TEST(HttpServerTest, KeepAliveReusesOneConnection) {
  std::mutex mu;
  std::set<std::uint16_t> ports;
  auto server = start_server({}, [&](const HttpRequest& request) {
    std::lock_guard lock(mu);
    ports.insert(request.remote_port);
    EXPECT_EQ(request.remote_address, "127.0.0.1");
    return HttpResponse::json(200, "{}");
  });
  ASSERT_TRUE(server);
  Client client(server->port());
  for (int i = 0; i < 200; ++i) {
    auto response = client.request("GET", "/ping");
    ASSERT_TRUE(response) << "request " << i;
    ASSERT_EQ(response->status, 200);
  }
  std::lock_guard lock(mu);
  EXPECT_EQ(ports.size(), 1u);
}

TEST(HttpServerTest, PipelinedRequestsAreAnsweredInOrder) {
  auto server = start_server({}, echo);
  ASSERT_TRUE(server);
  Client client(server->port());
  ASSERT_TRUE(
      client.send_all("GET /first HTTP/1.1\r\nHost: t\r\n\r\n"
                      "POST /second HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\n\r\nabc"
                      "GET /third HTTP/1.1\r\nHost: t\r\n\r\n"));
  auto first = client.read_response();
  auto second = client.read_response();
  auto third = client.read_response();
  ASSERT_TRUE(first && second && third);
  EXPECT_EQ(first->body, "GET /first q=- h=- head=0 body=");
  EXPECT_EQ(second->body, "POST /second q=- h=- head=0 body=abc");
  EXPECT_EQ(third->body, "GET /third q=- h=- head=0 body=");
}

TEST(HttpServerTest, HeadIsServedAsGetWithoutTheBody) {
  auto server = start_server({}, echo);
  ASSERT_TRUE(server);
  Client client(server->port());
  auto head = client.request("HEAD", "/doc");
  ASSERT_TRUE(head);
  EXPECT_EQ(head->status, 200);
  const std::string get_body = "GET /doc q=- h=- head=1 body=";
  EXPECT_EQ(head->header("Content-Length"), std::to_string(get_body.size()));
  // Had any body bytes followed, this response would not parse.
  auto get = client.request("GET", "/after");
  ASSERT_TRUE(get);
  EXPECT_EQ(get->body, "GET /after q=- h=- head=0 body=");
}

TEST(HttpServerTest, NoContentHasNoBody) {
  auto server = start_server({}, [](const HttpRequest&) {
    HttpResponse response = HttpResponse::json(204, "ignored");
    return response;
  });
  ASSERT_TRUE(server);
  Client client(server->port());
  auto response = client.request("DELETE", "/x");
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 204);
  EXPECT_FALSE(response->header("Content-Length").has_value());
  auto again = client.request("DELETE", "/y");  // the stream is still in sync
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 204);
}

TEST(HttpServerTest, ConnectionCloseIsHonoured) {
  auto server = start_server({}, echo);
  ASSERT_TRUE(server);
  Client client(server->port());
  auto response = client.request("GET", "/bye", "", "Connection: close\r\n");
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->header("Connection"), "close");
  EXPECT_TRUE(client.wait_closed());
}

TEST(HttpServerTest, Http10ClosesUnlessKeepAliveIsAsked) {
  auto server = start_server({}, echo);
  ASSERT_TRUE(server);
  {
    Client client(server->port());
    ASSERT_TRUE(client.send_all("GET /old HTTP/1.0\r\n\r\n"));
    auto response = client.read_response();
    ASSERT_TRUE(response);
    EXPECT_EQ(response->status, 200);
    EXPECT_TRUE(client.wait_closed());
  }
  Client client(server->port());
  ASSERT_TRUE(client.send_all("GET /old HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"));
  auto first = client.read_response();
  ASSERT_TRUE(first);
  EXPECT_EQ(first->header("Connection"), "keep-alive");
  ASSERT_TRUE(client.send_all("GET /old2 HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"));
  EXPECT_TRUE(client.read_response());
}

TEST(HttpServerTest, HandlerExceptionBecomesGeneric500) {
  auto server = start_server({}, [](const HttpRequest& request) -> HttpResponse {
    if (request.path == "/boom") {
      throw std::runtime_error("SELECT secret FROM users: constraint failed");
    }
    if (request.path == "/int") {
      throw 42;
    }
    return HttpResponse::json(200, "{}");
  });
  ASSERT_TRUE(server);
  Client client(server->port());
  for (const char* path : {"/boom", "/int"}) {
    auto response = client.request("GET", path);
    ASSERT_TRUE(response);
    EXPECT_EQ(response->status, 500);
    EXPECT_EQ(response->body, R"({"code":"internal","message":"internal error"})");
    EXPECT_EQ(response->header("Content-Type"), "application/json");
  }
  auto ok = client.request("GET", "/fine");  // the connection survives
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 200);
}

TEST(HttpServerTest, InvalidHandlerResponseBecomes500) {
  auto server = start_server({}, [](const HttpRequest& request) {
    HttpResponse response;
    if (request.path == "/split") {
      response.headers = {{"X-Injected", "a\r\nSet-Cookie: evil=1"}};
    } else {
      response.status = 42;
    }
    return response;
  });
  ASSERT_TRUE(server);
  Client client(server->port());
  for (const char* path : {"/split", "/status"}) {
    auto response = client.request("GET", path);
    ASSERT_TRUE(response);
    EXPECT_EQ(response->status, 500);
    EXPECT_FALSE(response->header("Set-Cookie").has_value());
  }
}

TEST(HttpServerTest, EachRequestIsReadUpToItsOwnLimit) {
  std::atomic<int> calls{0};
  HttpServerOptions options;
  options.max_body_bytes = 1 << 20;
  options.body_limit = [](std::string_view method, std::string_view target) -> std::size_t {
    return method == "POST" && target.rfind("/upload", 0) == 0 ? 4096 : 16;
  };
  auto server = start_server(options, [&](const HttpRequest&) {
    ++calls;
    return HttpResponse::json(200, "{}");
  });
  ASSERT_TRUE(server);
  {
    Client client(server->port());
    auto upload = client.request("POST", "/upload?filename=x", std::string(4096, 'u'));
    ASSERT_TRUE(upload);
    EXPECT_EQ(upload->status, 200);
  }
  {
    // Announced over its route's limit, far below the server's: answered from the head alone.
    Client client(server->port());
    ASSERT_TRUE(client.send_all("POST /json HTTP/1.1\r\nHost: t\r\nContent-Length: 17\r\n\r\n"));
    auto response = client.read_response();
    ASSERT_TRUE(response);
    EXPECT_EQ(response->status, 413);
    EXPECT_NE(response->body.find("exceeds 16 bytes"), std::string::npos) << response->body;
    EXPECT_TRUE(client.wait_closed());
  }
  {
    // A chunked body is cut off where it passes the limit.
    Client client(server->port());
    ASSERT_TRUE(
        client.send_all("POST /json HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
                        "20\r\n" +
                        std::string(32, 'c') + "\r\n0\r\n\r\n"));
    auto response = client.read_response();
    ASSERT_TRUE(response);
    EXPECT_EQ(response->status, 413);
  }
  EXPECT_EQ(calls.load(), 1);
}

TEST(HttpServerTest, OversizedBodyGets413WithoutBeingRead) {
  std::atomic<int> calls{0};
  HttpServerOptions options;
  options.max_body_bytes = 1024;
  auto server = start_server(options, [&](const HttpRequest&) {
    ++calls;
    return HttpResponse::json(200, "{}");
  });
  ASSERT_TRUE(server);
  Client client(server->port());
  // 100 MB announced, none sent: the answer must come from the headers alone.
  ASSERT_TRUE(client.send_all(
      "POST /upload HTTP/1.1\r\nHost: t\r\nContent-Length: 100000000\r\n\r\npartial"));
  auto response = client.read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 413);
  EXPECT_EQ(response->header("Connection"), "close");
  EXPECT_NE(response->body.find("\"code\":\"invalid_argument\""), std::string::npos);
  EXPECT_TRUE(client.wait_closed());
  EXPECT_EQ(calls.load(), 0);

  // At the limit is fine.
  Client exact(server->port());
  auto ok = exact.request("POST", "/upload", std::string(1024, 'x'));
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 200);
}

TEST(HttpServerTest, OversizedChunkedBodyGets413) {
  HttpServerOptions options;
  options.max_body_bytes = 1024;
  auto server = start_server(options, echo);
  ASSERT_TRUE(server);
  Client client(server->port());
  ASSERT_TRUE(
      client.send_all("POST /upload HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
                      "10\r\n0123456789abcdef\r\n"
                      "800\r\n" +
                      std::string(2048, 'y') + "\r\n0\r\n\r\n"));
  auto response = client.read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 413);
  EXPECT_TRUE(client.wait_closed());
}

TEST(HttpServerTest, Expect100ContinueGetsContinueThenTheAnswer) {
  HttpServerOptions options;
  options.max_body_bytes = 1024;
  auto server = start_server(options, echo);
  ASSERT_TRUE(server);
  Client client(server->port());
  ASSERT_TRUE(client.send_all(
      "POST /c HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n"));
  auto interim = client.read_response();
  ASSERT_TRUE(interim);
  EXPECT_EQ(interim->status, 100);
  ASSERT_TRUE(client.send_all("hello"));
  auto response = client.read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->body, "POST /c q=- h=- head=0 body=hello");

  // Too large: 413 at once, no 100 Continue, no body read.
  Client big(server->port());
  ASSERT_TRUE(big.send_all(
      "POST /c HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\nContent-Length: 4096\r\n\r\n"));
  auto refused = big.read_response();
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 413);
}

TEST(HttpServerTest, OversizedHeadersGet431) {
  HttpServerOptions options;
  options.max_header_bytes = 4096;
  auto server = start_server(options, echo);
  ASSERT_TRUE(server);
  Client client(server->port());
  ASSERT_TRUE(client.send_all("GET / HTTP/1.1\r\nHost: t\r\nX-Big: " + std::string(64 * 1024, 'h') +
                              "\r\n\r\n"));
  auto response = client.read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 431);
  EXPECT_EQ(response->header("Connection"), "close");
  EXPECT_TRUE(client.wait_closed());

  Client fine(server->port());  // just under the limit is fine
  auto ok = fine.request("GET", "/", "", "X-Big: " + std::string(3000, 'h') + "\r\n");
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 200);
}

TEST(HttpServerTest, MalformedRequestsGet400) {
  std::atomic<int> calls{0};
  HttpServerOptions options;
  options.default_headers = {{"X-Content-Type-Options", "nosniff"}};
  auto server = start_server(options, [&](const HttpRequest&) {
    ++calls;
    return HttpResponse::json(200, "{}");
  });
  ASSERT_TRUE(server);
  for (const std::string& request : {
           std::string("this is not http\r\n\r\n"),
           std::string("GET / HTTP/1.1\r\nHost: t\r\nContent-Length: abc\r\n\r\n"),
           std::string("GET / HTTP/1.1\r\nHost: t\r\nBad Header\r\n\r\n"),
           std::string("GET / HTTP/1.1\r\n\r\n"),  // no Host (RFC 9112 §3.2)
           std::string("POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\nTransfer-Encoding: "
                       "chunked\r\n\r\n0\r\n\r\n"),
       }) {
    Client client(server->port());
    ASSERT_TRUE(client.send_all(request));
    auto response = client.read_response();
    ASSERT_TRUE(response) << request;
    EXPECT_EQ(response->status, 400) << request;
    EXPECT_EQ(response->header("X-Content-Type-Options"), "nosniff");
    EXPECT_EQ(response->header("Content-Type"), "application/json");
    EXPECT_TRUE(client.wait_closed());
  }
  EXPECT_EQ(calls.load(), 0);
}

// RFC 9112 §6.1/§6.3: a transfer coding other than one final `chunked` cannot be framed, so
// the server refuses it and closes; before, `xchunked` was read as "no body" and the body that
// followed was parsed as a second request (smuggling).
TEST(HttpServerTest, UnframeableTransferEncodingIsRefusedAndClosed) {
  std::atomic<int> calls{0};
  auto server = start_server({}, [&](const HttpRequest& request) {
    ++calls;
    return echo(request);
  });
  ASSERT_TRUE(server);
  const std::string smuggled = "GET /smuggled HTTP/1.1\r\nHost: t\r\n\r\n";
  for (const std::string& coding :
       {std::string("xchunked"), std::string("chunked, identity"), std::string("identity"),
        std::string("gzip, chunked"), std::string("chunked, chunked"), std::string("")}) {
    Client client(server->port());
    const std::string request = "POST /first HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: " + coding +
                                "\r\nContent-Length: " + std::to_string(smuggled.size()) +
                                "\r\n\r\n" + smuggled;
    ASSERT_TRUE(client.send_all(request));
    std::optional<std::string> received = client.read_until_closed();
    ASSERT_TRUE(received) << coding;
    EXPECT_EQ(received->rfind("HTTP/1.1 400", 0), 0u) << coding << ": " << *received;
    EXPECT_EQ(received->find("HTTP/1.1", 1), std::string::npos)
        << coding << ": a second answer: " << *received;
    EXPECT_EQ(received->find("/smuggled"), std::string::npos) << coding;
  }
  // Without Content-Length too: the bytes after the headers are never a request.
  for (const std::string& coding : {std::string("xchunked"), std::string("chunked, identity")}) {
    Client client(server->port());
    ASSERT_TRUE(client.send_all("POST /first HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: " + coding +
                                "\r\n\r\n" + smuggled));
    std::optional<std::string> received = client.read_until_closed();
    ASSERT_TRUE(received) << coding;
    EXPECT_EQ(received->rfind("HTTP/1.1 400", 0), 0u) << coding << ": " << *received;
    EXPECT_EQ(received->find("HTTP/1.1", 1), std::string::npos) << *received;
  }
  // HTTP/1.0 with a transfer coding is faulty framing.
  {
    Client client(server->port());
    ASSERT_TRUE(client.send_all(
        "POST /first HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n" + smuggled));
    std::optional<std::string> received = client.read_until_closed();
    ASSERT_TRUE(received);
    EXPECT_EQ(received->find("/smuggled"), std::string::npos) << *received;
    EXPECT_NE(received->find(" 400 "), std::string::npos) << *received;
  }
  EXPECT_EQ(calls.load(), 0);
  // A proper chunked body still works.
  Client client(server->port());
  ASSERT_TRUE(client.send_all(
      "POST /ok HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"));
  auto response = client.read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
  EXPECT_NE(response->body.find("body=abc"), std::string::npos) << response->body;
}

TEST(HttpServerTest, DefaultHeadersYieldToTheHandlers) {
  HttpServerOptions options;
  options.default_headers = {{"Cache-Control", "no-store"}, {"X-Frame-Options", "DENY"}};
  auto server = start_server(options, [](const HttpRequest&) {
    HttpResponse response = HttpResponse::json(200, "{}");
    response.headers = {{"cache-control", "max-age=60"}};
    return response;
  });
  ASSERT_TRUE(server);
  Client client(server->port());
  auto response = client.request("GET", "/");
  ASSERT_TRUE(response);
  EXPECT_EQ(response->header("Cache-Control"), "max-age=60");
  EXPECT_EQ(response->header("X-Frame-Options"), "DENY");
  int cache_controls = 0;
  for (const auto& [name, value] : response->headers) {
    cache_controls += header_name_equals(name, "Cache-Control") ? 1 : 0;
  }
  EXPECT_EQ(cache_controls, 1);
}

TEST(HttpServerTest, IdleKeepAliveConnectionTimesOut) {
  HttpServerOptions options;
  options.idle_timeout = 200ms;
  auto server = start_server(options, echo);
  ASSERT_TRUE(server);
  Client used(server->port());
  auto response = used.request("GET", "/once");
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
  Client silent(server->port());  // never sends a byte
  EXPECT_TRUE(used.wait_closed());
  EXPECT_TRUE(silent.wait_closed());
}

TEST(HttpServerTest, SlowHeaderTrickleIsCutOff) {
  std::atomic<int> calls{0};
  HttpServerOptions options;
  options.read_timeout = 300ms;
  options.idle_timeout = 60s;  // so that only the read timeout can end it
  auto server = start_server(options, [&](const HttpRequest&) {
    ++calls;
    return HttpResponse::json(200, "{}");
  });
  ASSERT_TRUE(server);
  Client client(server->port());
  ASSERT_TRUE(client.send_all("GET / HTTP/1.1\r\nHost: t\r\n"));
  // One byte every 20 ms would take 10 s to finish the header; each byte is within the idle
  // timeout of the one before, so only a deadline for the whole request stops it.
  const std::string trickle = "X-Slow: " + std::string(490, 'z') + "\r\n\r\n";
  bool cut_off = false;
  for (const char c : trickle) {
    if (client.closed_now() || !client.send_all(std::string_view(&c, 1))) {
      cut_off = true;
      break;
    }
    std::this_thread::sleep_for(20ms);
  }
  EXPECT_TRUE(cut_off);
  EXPECT_EQ(calls.load(), 0);
}

TEST(HttpServerTest, SlowBodyIsCutOff) {
  HttpServerOptions options;
  options.read_timeout = 300ms;
  auto server = start_server(options, echo);
  ASSERT_TRUE(server);
  Client client(server->port());
  ASSERT_TRUE(client.send_all("POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 10\r\n\r\nab"));
  EXPECT_TRUE(client.wait_closed());  // the other 8 bytes never come
}

TEST(HttpServerTest, ServesWhileAThousandIdleConnectionsAreOpen) {
  constexpr int kIdle = 1000;
  HttpServerOptions options;
  auto server = start_server(options, echo);
  ASSERT_TRUE(server);
  std::vector<std::unique_ptr<Client>> idle;
  idle.reserve(kIdle);
  for (int i = 0; i < kIdle; ++i) {
    idle.push_back(std::make_unique<Client>(server->port()));
    ASSERT_TRUE(idle.back()->connected()) << i;
    ASSERT_TRUE(idle.back()->send_all("GET /warm HTTP/1.1\r\nHost: t\r\n\r\n")) << i;
  }
  for (int i = 0; i < kIdle; ++i) {  // each is now an idle keep-alive connection
    auto response = idle[static_cast<std::size_t>(i)]->read_response();
    ASSERT_TRUE(response) << i;
    ASSERT_EQ(response->status, 200);
  }

  Client active(server->port());
  for (int i = 0; i < 50; ++i) {
    auto response = active.request("GET", "/busy?q=" + std::to_string(i));
    ASSERT_TRUE(response) << i;
    EXPECT_EQ(response->body, "GET /busy q=" + std::to_string(i) + " h=- head=0 body=");
  }
  for (int i = 0; i < kIdle; i += 97) {  // the idle ones are still being served
    auto response = idle[static_cast<std::size_t>(i)]->request("GET", "/again");
    ASSERT_TRUE(response) << i;
    EXPECT_EQ(response->status, 200);
  }
}

TEST(HttpServerTest, ConnectionsBeyondTheLimitGet503) {
  HttpServerOptions options;
  options.max_connections = 2;
  auto server = start_server(options, echo);
  ASSERT_TRUE(server);
  Client first(server->port());
  Client second(server->port());
  ASSERT_TRUE(first.request("GET", "/1"));
  ASSERT_TRUE(second.request("GET", "/2"));
  Client third(server->port());
  auto refused = third.read_response();
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 503);
  EXPECT_TRUE(third.wait_closed());
  EXPECT_TRUE(first.request("GET", "/1again"));
}

TEST(HttpServerTest, InlineHandlersWork) {
  HttpServerOptions options;
  options.handler_threads = 0;
  options.threads = 1;
  auto server = start_server(options, echo);
  ASSERT_TRUE(server);
  Client client(server->port());
  for (int i = 0; i < 3; ++i) {
    auto response = client.request("POST", "/inline", "x");
    ASSERT_TRUE(response);
    EXPECT_EQ(response->body, "POST /inline q=- h=- head=0 body=x");
  }
}

TEST(HttpServerTest, SlowHandlerDoesNotBlockOtherConnections) {
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::promise<void> entered;
  HttpServerOptions options;
  options.threads = 1;
  options.handler_threads = 2;
  auto server = start_server(options, [&](const HttpRequest& request) {
    if (request.path == "/slow") {
      entered.set_value();
      released.wait();
    }
    return HttpResponse::json(200, "{}");
  });
  ASSERT_TRUE(server);
  Client slow(server->port());
  ASSERT_TRUE(slow.send_all("GET /slow HTTP/1.1\r\nHost: t\r\n\r\n"));
  entered.get_future().wait();
  Client fast(server->port());
  auto response = fast.request("GET", "/fast");  // answered while /slow is still running
  release.set_value();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
  EXPECT_TRUE(slow.read_response());
}

TEST(HttpServerTest, GracefulStopFinishesTheRequestInFlight) {
  std::promise<void> entered;
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  auto server = start_server({}, [&](const HttpRequest& request) {
    if (request.path == "/slow") {
      entered.set_value();
      released.wait();
      return HttpResponse::json(200, R"({"done":true})");
    }
    return HttpResponse::json(200, "{}");
  });
  ASSERT_TRUE(server);
  const std::uint16_t port = server->port();
  Client idle(port);
  ASSERT_TRUE(idle.request("GET", "/warm"));
  Client busy(port);
  ASSERT_TRUE(busy.send_all("GET /slow HTTP/1.1\r\nHost: t\r\n\r\n"));
  entered.get_future().wait();

  std::thread stopper([&] { server->stop(); });
  while (!server->stopping()) {
    std::this_thread::yield();
  }
  EXPECT_TRUE(idle.wait_closed());  // idle keep-alive connections close at once
  release.set_value();
  auto response = busy.read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->body, R"({"done":true})");
  EXPECT_EQ(response->header("Connection"), "close");
  EXPECT_TRUE(busy.wait_closed());
  busy.close();  // as a client does after `Connection: close`; stop() waits no longer
  stopper.join();
  server->wait();  // returns at once: stop() has finished

  Client late(port);
  EXPECT_FALSE(late.connected());
  server->stop();  // idempotent
}

TEST(HttpServerTest, StopClosesWhatOutlivesTheShutdownTimeout) {
  std::promise<void> entered;
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  HttpServerOptions options;
  options.shutdown_timeout = 100ms;
  auto server = start_server(options, [&](const HttpRequest&) {
    entered.set_value();
    released.wait();
    return HttpResponse::json(200, "{}");
  });
  ASSERT_TRUE(server);
  Client busy(server->port());
  ASSERT_TRUE(busy.send_all("GET /stuck HTTP/1.1\r\nHost: t\r\n\r\n"));
  entered.get_future().wait();
  std::thread stopper([&] { server->stop(); });
  EXPECT_EQ(busy.read_until_closed(), "");  // closed unanswered once the timeout passed
  release.set_value();                      // stop() still waits for the handler to return
  stopper.join();
}

TEST(HttpServerTest, StopWithoutConnectionsAndDestructionWithoutStop) {
  auto server = start_server({}, echo);
  ASSERT_TRUE(server);
  std::thread waiter([&] { server->wait(); });
  server->stop();
  waiter.join();
  auto other = start_server({}, echo);
  ASSERT_TRUE(other);
  Client client(other->port());
  ASSERT_TRUE(client.request("GET", "/"));
  other.reset();  // the destructor stops it
  EXPECT_TRUE(client.wait_closed());
}

TEST(HttpServerTest, StartFailsOnBadAddressOrBusyPort) {
  HttpServerOptions bad;
  bad.address = "not-an-address";
  auto failed = HttpServer::start(bad, echo);
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().code(), base::ErrorCode::kInvalidArgument);

  auto server = start_server({}, echo);
  ASSERT_TRUE(server);
  HttpServerOptions same;
  same.port = server->port();
  auto busy = HttpServer::start(same, echo);
  ASSERT_FALSE(busy);
  EXPECT_EQ(busy.error().code(), base::ErrorCode::kUnavailable);

  HttpServerOptions zero_threads;
  zero_threads.threads = 0;
  EXPECT_FALSE(HttpServer::start(zero_threads, echo));
  EXPECT_FALSE(HttpServer::start({}, HttpHandler()));
}

}  // namespace
}  // namespace clearcut::http
