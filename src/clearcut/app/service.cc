#include "clearcut/app/service.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include <sys/stat.h>

#include "clearcut/app/policy_source.h"
#include "clearcut/base/embedded.h"

namespace clearcut::app {
namespace {

std::string default_key_path(const std::string& db) {
  std::string path = db;
  if (path.rfind("sqlite:", 0) == 0) {
    path = path.substr(7);
  } else if (path.find("://") != std::string::npos) {
    return "clearcut-audit.key";
  }
  std::filesystem::path dir = std::filesystem::path(path).parent_path();
  return (dir / "clearcut-audit.key").string();
}

std::string trim(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) {
    text.pop_back();
  }
  return text;
}

// A fresh database gets the built-in pack and registry, so the service triages from the start.
base::Status seed_policy(store::Store& store) {
  auto tx = CC_TRY(store.begin());
  if (!CC_TRY(tx->active_policy_pack())) {
    std::optional<std::string_view> embedded = base::find_embedded(kDefaultPackPath);
    if (!embedded) {
      return base::internal_error(
          "the default policy pack is not linked into this binary "
          "(link clearcut_policies_embedded)");
    }
    std::string text(*embedded);
    policy::PolicyPack pack = CC_TRY(policy::PolicyPack::parse(text, "netflix-genai.yaml"));
    store::PolicyPackRecord record;
    record.name = pack.name();
    record.version = pack.version();
    record.digest = pack.digest();
    record.text = text;
    record.loaded_at = clearance::format_rfc3339(std::chrono::system_clock::now());
    int64_t id = CC_TRY(tx->insert_policy_pack(record));
    CC_TRY(tx->activate_policy_pack(id));
  }
  if (CC_TRY(tx->list_tools()).empty()) {
    domain::ToolRegistry registry = CC_TRY(load_tool_registry(""));
    for (const domain::Tool& tool : registry.tools()) {
      CC_TRY(tx->upsert_tool(tool));
    }
  }
  return tx->commit();
}

}  // namespace

base::Result<audit::NoteSigner> load_or_create_signing_key(const std::string& path,
                                                           const std::string& origin) {
  if (std::filesystem::exists(path)) {
    std::string text = CC_TRY(read_file(path));
    auto signer = audit::NoteSigner::parse(trim(text));
    if (!signer.has_value()) {
      return base::invalid_argument("not a signing key: " + signer.error().message())
          .with_location({path, 0, 0});
    }
    return signer;
  }
  audit::NoteSigner signer = CC_TRY(audit::NoteSigner::generate(origin));
  std::string text = signer.to_string() + "\n";
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
  if (fd < 0) {
    return base::Error(base::ErrorCode::kUnavailable,
                       std::string("cannot create signing key: ") + std::strerror(errno))
        .with_location({path, 0, 0});
  }
  bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  bool synced = ::fsync(fd) == 0;
  ::close(fd);
  if (!written || !synced) {
    return base::Error(base::ErrorCode::kUnavailable, "cannot write signing key")
        .with_location({path, 0, 0});
  }
  return signer;
}

base::Result<std::unique_ptr<Service>> Service::open(const ServiceConfig& config) {
  std::unique_ptr<Service> service(new Service());
  service->store_ = CC_TRY(store::open_store(config.db));
  service->signing_key_path_ =
      config.signing_key.empty() ? default_key_path(config.db) : config.signing_key;
  audit::NoteSigner signer =
      CC_TRY(load_or_create_signing_key(service->signing_key_path_, config.audit_origin));
  CC_TRY(seed_policy(*service->store_));
  service->audit_ = std::make_unique<clearance::AuditLog>(std::move(signer));
  service->policy_ =
      std::make_unique<clearance::PolicyCache>(*service->store_, std::chrono::seconds(2));
  service->clearance_ = std::make_unique<clearance::ClearanceService>(
      *service->store_, *service->audit_, *service->policy_, service->clock_);
  service->accounts_ = std::make_unique<clearance::AccountService>(
      *service->store_, *service->audit_, service->clock_, std::chrono::hours(12), config.login);
  service->assets_ = std::make_unique<clearance::AssetService>(*service->store_, *service->audit_,
                                                               service->clock_);
  service->scan_root_ = config.scan_root;
  service->scans_ = std::make_unique<clearance::ScanJobService>(*service->store_, service->clock_,
                                                                config.scan_root);
  api::ApiOptions options;
  options.secure_cookies = config.secure_cookies;
  options.trusted_proxies = CC_TRY(api::TrustedProxies::parse(config.trusted_proxies));
  options.openapi_json = std::string(base::find_embedded("docs/openapi.json").value_or("{}"));
  options.static_file = [](std::string_view path) -> std::optional<std::string_view> {
    return base::find_embedded("web" + std::string(path));
  };
  service->api_ =
      std::make_unique<api::ApiServer>(*service->clearance_, *service->accounts_, *service->assets_,
                                       *service->scans_, *service->store_, std::move(options));
  return service;
}

base::Result<std::unique_ptr<http::HttpServer>> Service::serve(http::HttpServerOptions options) {
  // The server answers some requests itself (400, 413, 431, 503); those carry the headers
  // every API answer has, too.
  static constexpr std::pair<const char*, const char*> kHeaders[] = {
      {"X-Content-Type-Options", "nosniff"},
      {"X-Frame-Options", "DENY"},
      {"Referrer-Policy", "no-referrer"}};
  for (const auto& header : kHeaders) {
    bool given =
        std::any_of(options.default_headers.begin(), options.default_headers.end(),
                    [&](const auto& h) { return http::header_name_equals(h.first, header.first); });
    if (!given) {
      options.default_headers.emplace_back(header.first, header.second);
    }
  }
  return http::HttpServer::start(std::move(options), [this](const http::HttpRequest& request) {
    return api_->handle(request);
  });
}

base::Status Service::start_scan_workers(int count, const scan::ScanOptions& options) {
  if (scan_root_.empty()) {
    return base::Error(base::ErrorCode::kFailedPrecondition, "scan workers need a scan root");
  }
  for (int i = 0; i < count; ++i) {
    scan::ScanWorkerOptions worker;
    worker.name = scan_worker_name(static_cast<int>(scan_workers_.size()));
    worker.scan_root = scan_root_;
    worker.scan = options;
    scan_workers_.push_back(std::make_unique<scan::ScanWorker>(*store_, clock_, std::move(worker)));
    scan_threads_.emplace_back(
        [w = scan_workers_.back().get()](std::stop_token stop) { w->run(stop); });
  }
  return {};
}

std::string scan_worker_name(int index) {
  char host[256] = {};
  if (gethostname(host, sizeof(host) - 1) != 0) {
    std::snprintf(host, sizeof(host), "localhost");
  }
  return std::string(host) + ":" + std::to_string(getpid()) + ":" + std::to_string(index);
}

}  // namespace clearcut::app
