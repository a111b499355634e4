#include "clearcut/api/http/http_server.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <ctime>
#include <exception>
#include <future>
#include <limits>
#include <optional>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <vector>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <spdlog/spdlog.h>
#include <sys/resource.h>
#include <sys/socket.h>

#include "clearcut/api/http/internal/beast_request.h"
#include "clearcut/base/error.h"
#include "clearcut/base/mutex.h"

namespace clearcut::http {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using Tcp = net::ip::tcp;
using base::Error;
using base::ErrorCode;

namespace {

// A connection that sent `Connection: close`, or got a 4xx that ends it, may still be sending
// (a body we refused, pipelined requests). Closing with unread data makes the kernel send RST,
// which can destroy the response before the client reads it; so the server half-closes and
// discards input for a while first (as nginx's lingering_close does).
constexpr std::chrono::seconds kLingerTimeout{2};
constexpr std::size_t kLingerMaxBytes = 1 << 20;
constexpr std::size_t kReadChunkBytes = 4096;
// Accepting fails with EMFILE/ENFILE when descriptors run out; retrying at once would spin.
constexpr std::chrono::milliseconds kAcceptRetryDelay{50};
// After stop() has force-closed what outlived shutdown_timeout, the sockets' handlers get
// this long to run before the I/O threads are stopped regardless.
constexpr std::chrono::seconds kForceCloseGrace{1};

// Set on the server's own threads so that stop() from a handler fails loudly instead of
// deadlocking on a join of its own thread.
thread_local bool t_on_server_thread = false;

// The IMF-fixdate of RFC 9110 §5.6.7, cached per thread for the current second. Formatted by
// hand: strftime would follow the process locale.
std::string_view http_date() {
  thread_local std::time_t cached_second = -1;
  thread_local std::array<char, 32> cached_text{};
  const std::time_t now = std::time(nullptr);
  if (now != cached_second) {
    static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                              "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    std::tm tm{};
    gmtime_r(&now, &tm);
    std::snprintf(cached_text.data(), cached_text.size(), "%s, %02d %s %04d %02d:%02d:%02d GMT",
                  kDays[tm.tm_wday % 7], tm.tm_mday, kMonths[tm.tm_mon % 12], tm.tm_year + 1900,
                  tm.tm_hour, tm.tm_min, tm.tm_sec);
    cached_second = now;
  }
  return std::string_view(cached_text.data());
}

// Header names and values go onto the wire verbatim; CR, LF or NUL in them would let a
// handler's data split the response (RFC 9110 §5.5).
bool is_safe_field(std::string_view text) {
  return text.find_first_of(std::string_view("\r\n\0", 3)) == std::string_view::npos;
}

bool is_framing_field(std::string_view name) {
  return header_name_equals(name, "Content-Length") ||
         header_name_equals(name, "Transfer-Encoding") || header_name_equals(name, "Connection");
}

bool contains_token(std::string_view list, std::string_view token) {
  while (!list.empty()) {
    const std::size_t comma = list.find(',');
    std::string_view item = trim_ows(list.substr(0, comma));
    if (header_name_equals(item, token)) {
      return true;
    }
    list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
  }
  return false;
}

void raise_fd_limit(std::size_t wanted) {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) {
    return;
  }
  if (limit.rlim_cur != limit.rlim_max) {
    rlimit raised = limit;
    // RLIM_INFINITY exceeds the kernel's nr_open and would be refused.
    raised.rlim_cur = limit.rlim_max == RLIM_INFINITY ? rlim_t{1} << 20 : limit.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &raised) == 0) {
      limit = raised;
    }
  }
  if (limit.rlim_cur < wanted) {
    spdlog::warn("http: RLIMIT_NOFILE is {}, below the {} descriptors max_connections may need",
                 static_cast<unsigned long long>(limit.rlim_cur), wanted);
  }
}

}  // namespace

class Session;

class HttpServer::Impl {
 public:
  Impl(HttpServerOptions options, HttpHandler handler)
      : options_(std::move(options)),
        handler_(std::move(handler)),
        accept_strand_(net::make_strand(ioc_)),
        acceptor_(accept_strand_),
        accept_retry_timer_(accept_strand_) {}

  ~Impl() { stop(); }

  base::Status open();
  void run();
  void stop();
  void wait();

  std::uint16_t port() const { return port_; }
  bool stopping() const { return stopping_.load(std::memory_order_acquire); }
  const HttpServerOptions& options() const { return options_; }

  // Runs the handler on the handler pool, or inline when there is none.
  template <typename Work>
  void run_handler(Work work) {
    handlers_running_.fetch_add(1, std::memory_order_relaxed);
    if (handler_pool_) {
      net::post(*handler_pool_, std::move(work));
    } else {
      work();
    }
  }

  // The handler's answer, or a generic 500 if it threw.
  HttpResponse call_handler(const HttpRequest& request) const;

  // Called by the work given to run_handler once the handler has returned.
  void handler_done() {
    handlers_running_.fetch_sub(1, std::memory_order_relaxed);
    if (stopping()) {
      base::MutexLock lock(mu_);
      cv_.notify_all();
    }
  }

  void unregister_session(Session* session);

 private:
  void do_accept();
  void on_accept(beast::error_code ec, Tcp::socket socket);
  // False when the server is stopping or full; the caller then refuses the connection.
  bool register_session(const std::shared_ptr<Session>& session, bool& full);
  std::vector<std::shared_ptr<Session>> live_sessions();

  const HttpServerOptions options_;
  const HttpHandler handler_;

  // Declared before the io_context: sessions still queued inside it when it is destroyed
  // unregister themselves from here.
  mutable base::Mutex mu_;
  std::condition_variable cv_;  // signalled when sessions_ empties and when stopped_ is set
  std::unordered_map<Session*, std::weak_ptr<Session>> sessions_ GUARDED_BY(mu_);
  bool stopped_ GUARDED_BY(mu_) = false;
  std::size_t closes_pending_ GUARDED_BY(mu_) = 0;  // stop()'s force-closes not yet run

  base::Mutex stop_mu_;  // serialises stop() callers
  std::atomic<bool> stopping_{false};
  std::atomic<std::size_t> handlers_running_{0};

  net::io_context ioc_;
  net::strand<net::io_context::executor_type> accept_strand_;
  Tcp::acceptor acceptor_;
  net::steady_timer accept_retry_timer_;
  std::optional<net::executor_work_guard<net::io_context::executor_type>> work_;
  // After the io_context, so that it is joined first: its work posts into the io_context.
  std::optional<net::thread_pool> handler_pool_;
  std::vector<std::thread> io_threads_;
  std::uint16_t port_ = 0;
};

// One TCP connection: reads requests one at a time, hands each to the handler, writes the
// response, and enforces the idle, read and write timeouts. Every member is touched only on
// the connection's strand; the Session lives as long as an operation or handler holds it.
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(HttpServer::Impl& server, Tcp::socket socket)
      : server_(server), executor_(socket.get_executor()), stream_(std::move(socket)) {
    beast::error_code ec;
    const Tcp::endpoint remote = stream_.socket().remote_endpoint(ec);
    if (!ec) {
      remote_address_ = remote.address().to_string();
      remote_port_ = remote.port();
    }
    // Responses go out in one write; Nagle would only delay the next keep-alive request.
    stream_.socket().set_option(Tcp::no_delay(true), ec);
  }

  ~Session() { server_.unregister_session(this); }

  const net::any_io_executor& executor() const { return executor_; }

  void start() { wait_for_request(); }

  // stop() has begun: an idle connection closes now, a busy one after its response.
  void on_server_stop() {
    if (state_ == State::kIdle || state_ == State::kClosing) {
      close_now();
    }
  }

  // Answers 503 without blocking and closes: the server is at max_connections. Called before
  // the session starts, so nothing else touches the socket.
  void refuse_unavailable() {
    static constexpr std::string_view kResponse =
        "HTTP/1.1 503 Service Unavailable\r\nServer: clearcut\r\nConnection: close\r\n"
        "Content-Type: application/json\r\nContent-Length: 55\r\n\r\n"
        "{\"code\":\"unavailable\",\"message\":\"too many connections\"}";
    [[maybe_unused]] const ssize_t sent = ::send(stream_.socket().native_handle(), kResponse.data(),
                                                 kResponse.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
    close_now();
  }

  void close_now() {
    state_ = State::kClosed;
    beast::error_code ec;
    stream_.socket().shutdown(Tcp::socket::shutdown_both, ec);
    stream_.close();
  }

 private:
  enum class State { kIdle, kReading, kHandling, kWriting, kClosing, kClosed };

  void wait_for_request() {
    state_ = State::kIdle;
    if (server_.stopping()) {
      close_now();
      return;
    }
    if (buffer_.size() > 0) {  // a pipelined request is already here
      read_header();
      return;
    }
    // Waiting for the first byte is the idle timeout; the read timeout starts with that byte.
    stream_.expires_after(server_.options().idle_timeout);
    stream_.async_read_some(
        buffer_.prepare(kReadChunkBytes),
        beast::bind_front_handler(&Session::on_first_bytes, shared_from_this()));
  }

  void on_first_bytes(beast::error_code ec, std::size_t bytes) {
    if (ec) {  // idle timeout, peer closed, or stop()
      close_now();
      return;
    }
    buffer_.commit(bytes);
    read_header();
  }

  void read_header() {
    state_ = State::kReading;
    body_limit_ = 0;
    const HttpServerOptions& options = server_.options();
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(std::min<std::size_t>(
        options.max_header_bytes, std::numeric_limits<std::uint32_t>::max())));
    parser_->body_limit(options.max_body_bytes);
    // An absolute deadline for the whole request: a client trickling bytes cannot extend it.
    stream_.expires_after(options.read_timeout);
    bhttp::async_read_header(stream_, buffer_, *parser_,
                             beast::bind_front_handler(&Session::on_header, shared_from_this()));
  }

  void on_header(beast::error_code ec, std::size_t /*bytes*/) {
    if (ec) {
      on_read_error(ec);
      return;
    }
    const auto& message = parser_->get();
    version_ = message.version();
    if (std::optional<std::string_view> refusal = internal::refuse_header(message)) {
      // Framing we cannot read exactly must not be guessed at, or a body would be read as the
      // next request (smuggling): 400, then close.
      reply_error(400, "invalid_argument", *refusal);
      return;
    }
    const HttpServerOptions& options = server_.options();
    if (options.body_limit) {
      std::size_t limit = std::min(
          options.max_body_bytes,
          options.body_limit(
              std::string_view(message.method_string().data(), message.method_string().size()),
              std::string_view(message.target().data(), message.target().size())));
      auto announced = parser_->content_length();  // boost::optional
      if (announced && *announced > limit) {
        reply_error(413, "invalid_argument",
                    "request body exceeds " + std::to_string(limit) + " bytes");
        return;
      }
      parser_->body_limit(limit);  // a chunked body: cut off where it passes the limit
      body_limit_ = limit;
    }
    // RFC 9110 §10.1.1: answer 100 Continue only when the body is still wanted and unsent;
    // an oversized one never gets here (the parser refused its Content-Length).
    const auto expect = message.find(bhttp::field::expect);
    if (expect != message.end() && version_ >= 11 && !parser_->is_done() &&
        header_name_equals(std::string_view(expect->value().data(), expect->value().size()),
                           "100-continue")) {
      continue_.emplace(bhttp::status::continue_, 11);
      stream_.expires_after(server_.options().write_timeout);
      bhttp::async_write(stream_, *continue_,
                         beast::bind_front_handler(&Session::on_continue, shared_from_this()));
      return;
    }
    read_body();
  }

  void on_continue(beast::error_code ec, std::size_t /*bytes*/) {
    continue_.reset();
    if (ec) {
      close_now();
      return;
    }
    stream_.expires_after(server_.options().read_timeout);
    read_body();
  }

  void read_body() {
    if (parser_->is_done()) {
      handle_request();
      return;
    }
    bhttp::async_read(stream_, buffer_, *parser_,
                      beast::bind_front_handler(&Session::on_body, shared_from_this()));
  }

  void on_body(beast::error_code ec, std::size_t /*bytes*/) {
    if (ec) {
      on_read_error(ec);
      return;
    }
    handle_request();
  }

  void on_read_error(beast::error_code ec) {
    internal::ReadErrorAnswer answer = internal::answer_read_error(
        ec, body_limit_ != 0 ? body_limit_ : server_.options().max_body_bytes);
    if (answer.status != 0) {
      reply_error(answer.status, "invalid_argument", answer.message);
    } else {
      close_now();  // timeout, reset, peer closed mid-request, or stop()
    }
  }

  void handle_request() {
    stream_.expires_never();
    state_ = State::kHandling;
    auto message = parser_->release();
    parser_.reset();
    keep_alive_ = message.keep_alive();

    head_ = message.method() == bhttp::verb::head;
    HttpRequest request = internal::to_http_request(std::move(message));
    request.remote_address = remote_address_;
    request.remote_port = remote_port_;

    server_.run_handler([self = shared_from_this(), request = std::move(request)]() mutable {
      t_on_server_thread = true;
      HttpResponse response = self->server_.call_handler(request);
      self->server_.handler_done();
      net::post(self->executor_, [self, response = std::move(response)]() mutable {
        self->send_response(std::move(response), /*close=*/false);
      });
    });
  }

  // Ends the connection after a response of the server's own (400, 413, 431).
  void reply_error(int status, std::string_view code, std::string_view message) {
    stream_.expires_never();
    parser_.reset();
    head_ = false;
    keep_alive_ = false;
    input_unread_ = true;
    send_response(HttpResponse::error(status, code, message), /*close=*/true);
  }

  void send_response(HttpResponse response, bool close) {
    if (state_ == State::kClosed) {  // force-closed by stop() while the handler ran
      return;
    }
    bool valid = response.status >= 200 && response.status <= 599;
    for (const auto& [name, value] : response.headers) {
      valid = valid && !name.empty() && is_safe_field(name) && is_safe_field(value);
    }
    valid = valid && is_safe_field(response.content_type);
    if (!valid) {
      spdlog::error(
          "http: handler returned an invalid response (status {}, or a header with "
          "CR/LF/NUL); sending 500",
          response.status);
      response = HttpResponse::error(500, "internal", "internal error");
    }

    response_.emplace();
    auto& out = *response_;
    out.version(version_);
    out.result(static_cast<unsigned>(response.status));
    for (const auto& [name, value] : response.headers) {
      if (is_framing_field(name)) {
        // The server owns framing; a handler's `Connection: close` is still honoured.
        if (header_name_equals(name, "Connection") && contains_token(value, "close")) {
          close = true;
        }
        continue;
      }
      out.insert(name, value);
    }
    for (const auto& [name, value] : server_.options().default_headers) {
      if (!response.header(name) && is_safe_field(name) && is_safe_field(value)) {
        out.insert(name, value);
      }
    }
    if (!response.content_type.empty() && !response.header("Content-Type")) {
      out.set(bhttp::field::content_type, response.content_type);
    }
    if (!response.header("Server")) {
      out.set(bhttp::field::server, "clearcut");
    }
    if (!response.header("Date")) {
      const std::string_view date = http_date();
      out.set(bhttp::field::date, beast::string_view(date.data(), date.size()));
    }
    // RFC 9110 §6.4.1: 204 and 304 carry no body. HEAD gets GET's Content-Length without the
    // body (§9.3.2).
    if (response.status != 204 && response.status != 304) {
      out.content_length(response.body.size());
      if (!head_) {
        out.body() = std::move(response.body);
      }
    }
    close_after_write_ = close || !keep_alive_ || server_.stopping();
    out.keep_alive(!close_after_write_);

    state_ = State::kWriting;
    stream_.expires_after(server_.options().write_timeout);
    bhttp::async_write(stream_, out,
                       beast::bind_front_handler(&Session::on_write, shared_from_this()));
  }

  void on_write(beast::error_code ec, std::size_t /*bytes*/) {
    response_.reset();
    if (ec) {
      close_now();
      return;
    }
    if (close_after_write_) {
      // Linger only when more input may come: a refused request's unread rest, pipelined
      // requests, or (while stopping) a keep-alive client's next request racing our close.
      beast::error_code available_ec;
      if (input_unread_ || buffer_.size() > 0 || stream_.socket().available(available_ec) > 0 ||
          server_.stopping()) {
        linger_close();
      } else {
        close_now();
      }
      return;
    }
    wait_for_request();
  }

  void linger_close() {
    state_ = State::kClosing;
    beast::error_code ec;
    stream_.socket().shutdown(Tcp::socket::shutdown_send, ec);
    if (ec) {
      close_now();
      return;
    }
    buffer_.clear();
    lingered_bytes_ = 0;
    stream_.expires_after(kLingerTimeout);
    discard_input();
  }

  void discard_input() {
    stream_.async_read_some(net::buffer(discard_),
                            beast::bind_front_handler(&Session::on_discarded, shared_from_this()));
  }

  void on_discarded(beast::error_code ec, std::size_t bytes) {
    lingered_bytes_ += bytes;
    if (ec || lingered_bytes_ > kLingerMaxBytes || state_ != State::kClosing) {
      close_now();
      return;
    }
    discard_input();
  }

  HttpServer::Impl& server_;
  const net::any_io_executor executor_;  // the connection's strand
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  std::optional<bhttp::response<bhttp::string_body>> response_;
  std::optional<bhttp::response<bhttp::empty_body>> continue_;
  std::array<char, kReadChunkBytes> discard_{};
  std::size_t lingered_bytes_ = 0;
  std::string remote_address_;
  std::uint16_t remote_port_ = 0;
  State state_ = State::kIdle;
  unsigned version_ = 11;
  bool keep_alive_ = true;
  bool head_ = false;
  std::size_t body_limit_ = 0;  // this request's (options.body_limit), once its head is read
  bool close_after_write_ = false;
  bool input_unread_ = false;  // a request was refused before it was read to its end
};

base::Status HttpServer::Impl::open() {
  beast::error_code ec;
  const net::ip::address address = net::ip::make_address(options_.address, ec);
  if (ec) {
    return base::invalid_argument("http: not an IP address: '" + options_.address + "'");
  }
  const Tcp::endpoint endpoint(address, options_.port);
  const std::string where = options_.address + ":" + std::to_string(options_.port);
  acceptor_.open(endpoint.protocol(), ec);
  if (!ec) {
    // Lets a restarted server bind while the old one's connections sit in TIME_WAIT.
    acceptor_.set_option(net::socket_base::reuse_address(true), ec);
  }
  if (!ec) {
    acceptor_.bind(endpoint, ec);
  }
  if (!ec) {
    acceptor_.listen(net::socket_base::max_listen_connections, ec);
  }
  if (ec) {
    return Error(ErrorCode::kUnavailable, "http: listen on " + where + ": " + ec.message());
  }
  port_ = acceptor_.local_endpoint(ec).port();
  return {};
}

void HttpServer::Impl::run() {
  work_.emplace(ioc_.get_executor());
  if (options_.handler_threads > 0) {
    handler_pool_.emplace(static_cast<std::size_t>(options_.handler_threads));
  }
  net::post(accept_strand_, [this] { do_accept(); });
  io_threads_.reserve(static_cast<std::size_t>(options_.threads));
  for (int i = 0; i < options_.threads; ++i) {
    io_threads_.emplace_back([this] {
      t_on_server_thread = true;
      for (;;) {
        try {
          ioc_.run();
          return;
        } catch (const std::exception& e) {
          // Completion handlers do not throw by design; if one does (bad_alloc), keep serving.
          spdlog::error("http: I/O thread caught: {}", e.what());
        }
      }
    });
  }
}

void HttpServer::Impl::do_accept() {
  acceptor_.async_accept(net::make_strand(ioc_), beast::bind_front_handler(&Impl::on_accept, this));
}

void HttpServer::Impl::on_accept(beast::error_code ec, Tcp::socket socket) {
  if (!acceptor_.is_open() || ec == net::error::operation_aborted) {
    return;  // stop()
  }
  if (ec) {
    spdlog::warn("http: accept: {}", ec.message());
    accept_retry_timer_.expires_after(kAcceptRetryDelay);
    accept_retry_timer_.async_wait([this](beast::error_code wait_ec) {
      if (!wait_ec && acceptor_.is_open()) {
        do_accept();
      }
    });
    return;
  }
  auto session = std::make_shared<Session>(*this, std::move(socket));
  bool full = false;
  if (register_session(session, full)) {
    net::dispatch(session->executor(), [session] { session->start(); });
  } else if (full) {
    session->refuse_unavailable();
  } else {
    session->close_now();
  }
  do_accept();
}

bool HttpServer::Impl::register_session(const std::shared_ptr<Session>& session, bool& full) {
  base::MutexLock lock(mu_);
  full = sessions_.size() >= options_.max_connections;
  if (full || stopping()) {
    return false;
  }
  sessions_.emplace(session.get(), session);
  return true;
}

void HttpServer::Impl::unregister_session(Session* session) {
  base::MutexLock lock(mu_);
  if (sessions_.erase(session) > 0 && (sessions_.empty() || stopping())) {
    cv_.notify_all();
  }
}

std::vector<std::shared_ptr<Session>> HttpServer::Impl::live_sessions() {
  std::vector<std::shared_ptr<Session>> out;
  base::MutexLock lock(mu_);
  out.reserve(sessions_.size());
  for (const auto& [raw, weak] : sessions_) {
    if (auto session = weak.lock()) {
      out.push_back(std::move(session));
    }
  }
  return out;
}

HttpResponse HttpServer::Impl::call_handler(const HttpRequest& request) const {
  try {
    return handler_(request);
  } catch (const std::exception& e) {
    spdlog::error("http: handler failed on {} {}: {}", request.method, request.path, e.what());
  } catch (...) {
    spdlog::error("http: handler failed on {} {}: unknown exception", request.method, request.path);
  }
  return HttpResponse::error(500, "internal", "internal error");
}

void HttpServer::Impl::stop() {
  CC_CHECK(!t_on_server_thread);  // stop() from a handler would join its own thread
  base::MutexLock stop_lock(stop_mu_);
  {
    base::MutexLock lock(mu_);
    if (stopped_ || io_threads_.empty()) {
      return;
    }
  }
  stopping_.store(true, std::memory_order_release);

  // 1. No new connections. Waited for, so that a connect() after stop() is refused.
  std::promise<void> acceptor_closed;
  net::post(accept_strand_, [this, &acceptor_closed] {
    beast::error_code ec;
    acceptor_.close(ec);
    accept_retry_timer_.cancel();
    acceptor_closed.set_value();
  });
  acceptor_closed.get_future().wait();

  // 2. Idle connections close now, busy ones after their response (Connection: close).
  for (auto& session : live_sessions()) {
    net::post(session->executor(), [session] { session->on_server_stop(); });
  }
  {
    base::MutexLock lock(mu_);
    lock.wait_for(cv_, options_.shutdown_timeout,
                  [this]() REQUIRES(mu_) { return sessions_.empty(); });
  }

  // 3. What outlived shutdown_timeout is closed; a response still in the handler is dropped.
  auto leftovers = live_sessions();
  if (!leftovers.empty()) {
    spdlog::warn("http: stop: closing {} connections still busy after {} ms", leftovers.size(),
                 options_.shutdown_timeout.count());
  }
  {
    base::MutexLock lock(mu_);
    closes_pending_ = leftovers.size();
  }
  for (const auto& session : leftovers) {
    net::post(session->executor(), [this, session] {
      session->close_now();
      base::MutexLock lock(mu_);
      --closes_pending_;
      cv_.notify_all();
    });
  }
  leftovers.clear();  // a session must be free to die once its socket work is done
  {
    // Wait for the closes to run and their sockets' handlers to finish; a session whose
    // handler still runs cannot finish here (the join below waits for the handler).
    base::MutexLock lock(mu_);
    lock.wait_for(cv_, kForceCloseGrace, [this]() REQUIRES(mu_) {
      return closes_pending_ == 0 &&
             sessions_.size() <= handlers_running_.load(std::memory_order_relaxed);
    });
  }
  work_.reset();
  ioc_.stop();
  for (auto& thread : io_threads_) {
    thread.join();
  }
  if (handler_pool_) {
    handler_pool_->join();  // a handler still running is waited for: it cannot be cancelled
  }
  {
    base::MutexLock lock(mu_);
    stopped_ = true;
  }
  cv_.notify_all();
}

void HttpServer::Impl::wait() {
  base::MutexLock lock(mu_);
  lock.wait(cv_, [this]() REQUIRES(mu_) { return stopped_; });
}

base::Result<std::unique_ptr<HttpServer>> HttpServer::start(HttpServerOptions options,
                                                            HttpHandler handler) {
  if (!handler) {
    return base::invalid_argument("http: no handler");
  }
  if (options.threads < 1 || options.handler_threads < 0 || options.max_connections < 1 ||
      options.max_header_bytes < 64 || options.idle_timeout.count() <= 0 ||
      options.read_timeout.count() <= 0 || options.write_timeout.count() <= 0 ||
      options.shutdown_timeout.count() < 0) {
    return base::invalid_argument(
        "http: options need threads >= 1, handler_threads >= 0, max_connections >= 1, "
        "max_header_bytes >= 64 and positive timeouts");
  }
  // Each connection is a descriptor; the default soft limit (often 1024) is too low.
  raise_fd_limit(options.max_connections + 64);
  auto impl = std::make_unique<Impl>(std::move(options), std::move(handler));
  CC_TRY(impl->open());
  impl->run();
  return std::unique_ptr<HttpServer>(new HttpServer(std::move(impl)));
}

HttpServer::HttpServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

HttpServer::~HttpServer() {
  stop();
}

std::uint16_t HttpServer::port() const {
  return impl_->port();
}

void HttpServer::stop() {
  impl_->stop();
}

void HttpServer::wait() {
  impl_->wait();
}

bool HttpServer::stopping() const {
  return impl_->stopping();
}

}  // namespace clearcut::http
