// Raw request bytes through the whole REST API: the server's own request reader (parser,
// limits, framing checks), then the router, authentication, JSON body parsing, the services
// and a real SQLite database seeded with the demo. Any input must be answered with a status
// the API documents, and never with a 500: a 500 is a bug this target reports as a crash.
//
// Inputs may name credentials by placeholder so that the fuzzer reaches signed-in routes:
// @ADMIN@ and @PARTNER@ are API token secrets, @SESSION@ and @CSRF@ the partner's session
// cookie and CSRF token. Several pipelined requests in one input run in order.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "clearcut/api/http/request_reader.h"
#include "clearcut/app/demo.h"
#include "clearcut/app/service.h"

namespace {

struct Harness {
  std::unique_ptr<clearcut::app::Service> service;
  std::string admin_token;
  std::string partner_token;
  std::string session;
  std::string csrf;
};

template <typename T>
T must(clearcut::base::Result<T> result, const char* what) {
  if (!result.has_value()) {
    std::fprintf(stderr, "fuzz_http_api: %s: %s\n", what, result.error().to_string().c_str());
    std::abort();
  }
  return std::move(result).value();
}

Harness& harness() {
  static Harness* h = [] {
    auto* out = new Harness();
    static char dir[] = "/tmp/fuzz_http_api.XXXXXX";
    if (mkdtemp(dir) == nullptr) {
      std::abort();
    }
    // libFuzzer ends with exit(): the database and key go with it.
    std::atexit([] {
      std::error_code ignored;
      std::filesystem::remove_all(dir, ignored);
    });
    clearcut::app::ServiceConfig config;
    config.db = std::string("sqlite:") + dir + "/clearcut.db";
    config.signing_key = std::string(dir) + "/clearcut-audit.key";
    out->service = must(clearcut::app::Service::open(config), "open");
    must(clearcut::app::seed_demo(*out->service), "seed_demo");
    auto& accounts = out->service->accounts();
    auto admin = must(accounts.login("admin@studio.example",
                                     std::string(clearcut::app::kDemoPassword), "127.0.0.1"),
                      "admin login");
    auto partner = must(accounts.login("partner@vendor.example",
                                       std::string(clearcut::app::kDemoPassword), "127.0.0.1"),
                        "partner login");
    out->admin_token = must(accounts.create_token(admin.actor, "fuzz"), "admin token").secret;
    out->partner_token = must(accounts.create_token(partner.actor, "fuzz"), "partner token").secret;
    out->session = partner.session_secret;
    out->csrf = partner.csrf_token;
    return out;
  }();
  return *h;
}

void replace_all(std::string& text, std::string_view from, const std::string& to) {
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Harness& h = harness();
  std::string bytes(reinterpret_cast<const char*>(data), size);
  replace_all(bytes, "@ADMIN@", h.admin_token);
  replace_all(bytes, "@PARTNER@", h.partner_token);
  replace_all(bytes, "@SESSION@", h.session);
  replace_all(bytes, "@CSRF@", h.csrf);
  std::string_view rest = bytes;
  for (int i = 0; i < 8 && !rest.empty(); ++i) {
    clearcut::http::RawRequest raw = clearcut::http::read_raw_request(rest, 16 << 10, 1 << 20);
    if (!raw.request) {
      break;  // the server answers 400/413/431 itself, or waits for more
    }
    raw.request->remote_address = "127.0.0.1";
    clearcut::http::HttpResponse response = h.service->api().handle(*raw.request);
    if (response.status < 200 || response.status > 599 || response.status == 500) {
      std::fprintf(stderr, "fuzz_http_api: %s %s answered %d: %s\n", raw.request->method.c_str(),
                   raw.request->target.c_str(), response.status, response.body.c_str());
      std::abort();
    }
    // Under /api/v1 every answer is JSON; other paths are the UI's pages.
    if (raw.request->path.rfind("/api/v1", 0) == 0 && response.status != 204 &&
        !nlohmann::json::accept(response.body)) {
      std::fprintf(stderr, "fuzz_http_api: %s answered with a body that is not JSON\n",
                   raw.request->target.c_str());
      std::abort();
    }
    if (!raw.keep_alive || raw.consumed == 0) {
      break;
    }
    rest.remove_prefix(raw.consumed);
  }
  return 0;
}
