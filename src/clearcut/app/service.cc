#include "clearcut/app/service.h"

#include <algorithm>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <mutex>

#include <sys/stat.h>

#include "clearcut/app/policy_source.h"
#include "clearcut/base/embedded.h"
#include "clearcut/base/file.h"
#include "clearcut/clearance/audit_payloads.h"

namespace clearcut::app {

std::string default_audit_path(const std::string& db, const std::string& file_name) {
  std::string path = db;
  if (path.rfind("sqlite:", 0) == 0) {
    path = path.substr(7);
  } else if (path.find("://") != std::string::npos) {
    return file_name;
  }
  std::filesystem::path dir = std::filesystem::path(path).parent_path();
  return (dir / file_name).string();
}

std::string default_checkpoint_path(const std::string& db, const std::string& signing_key) {
  bool sqlite = db.rfind("sqlite:", 0) == 0 || db.find("://") == std::string::npos;
  if (sqlite) {
    return default_audit_path(db, "clearcut-audit.checkpoints");
  }
  return (std::filesystem::path(signing_key).parent_path() / "clearcut-audit.checkpoints").string();
}

namespace {

std::string trim(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) {
    text.pop_back();
  }
  return text;
}

// A fresh database gets the built-in pack and registry, so the service triages from the start.
base::Status seed_policy(store::Store& store) {
  auto tx = CC_TRY(store.begin());
  if (!CC_TRY(tx->policy().active_policy_pack())) {
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
    int64_t id = CC_TRY(tx->policy().insert_policy_pack(record));
    CC_TRY(tx->policy().activate_policy_pack(id));
    // Logged like a pack an admin activates, so that `audit verify` can rebuild the table.
    CC_TRY(clearance::append_audit_event(
        *tx, {0, record.loaded_at, "system", "policy_pack.activated", "policy_pack",
              std::to_string(id), clearance::policy_pack_payload(record)}));
  }
  if (CC_TRY(tx->policy().list_tools()).empty()) {
    domain::ToolRegistry registry = CC_TRY(load_tool_registry(""));
    std::string now = clearance::format_rfc3339(std::chrono::system_clock::now());
    for (const domain::Tool& tool : registry.tools()) {
      CC_TRY(tx->policy().upsert_tool(tool));
      CC_TRY(clearance::append_audit_event(
          *tx, {0, now, "system", "tool.saved", "tool", "0", clearance::tool_payload(tool)}));
    }
  }
  return tx->commit();
}

}  // namespace

base::Result<audit::NoteSigner> load_signing_key(const std::string& path) {
  std::string text = CC_TRY(base::read_file(path));
  auto signer = audit::NoteSigner::parse(trim(text));
  if (!signer.has_value()) {
    return base::invalid_argument("not a signing key: " + signer.error().message())
        .with_location({path, 0, 0});
  }
  return signer;
}

base::Result<audit::NoteSigner> load_or_create_signing_key(const std::string& path,
                                                           const std::string& origin) {
  if (std::filesystem::exists(path)) {
    return load_signing_key(path);
  }
  audit::NoteSigner signer = CC_TRY(audit::NoteSigner::generate(origin));
  std::string text = signer.to_string() + "\n";
  auto written = base::write_file_atomic(path, text, {.mode = 0600, .replace = false});
  if (!written.has_value()) {
    return std::move(written).error().with_context("cannot create signing key");
  }
  return signer;
}

base::Result<std::unique_ptr<Service>> Service::open(const ServiceConfig& config) {
  std::unique_ptr<Service> service(new Service());
  service->store_ = CC_TRY(store::open_store(config.db));
  service->signing_key_path_ = config.signing_key.empty()
                                   ? default_audit_path(config.db, "clearcut-audit.key")
                                   : config.signing_key;
  const std::string& key_path = service->signing_key_path_;
  if (!std::filesystem::exists(key_path)) {
    // A new key would sign checkpoints that no verifier of the old ones trusts, and hide
    // that the old key is gone: only a database without checkpoints gets one silently.
    auto tx = CC_TRY(service->store_->begin());
    std::optional<store::CheckpointRecord> latest = CC_TRY(tx->audit().latest_checkpoint());
    if (latest) {
      return base::Error(
                 base::ErrorCode::kFailedPrecondition,
                 "the audit log signing key is missing, but the database holds signed "
                 "checkpoints (the newest covers " +
                     std::to_string(latest->tree_size) +
                     " events). Restore the key file from a backup; or, to go on with a new "
                     "key, create one with `clearcut audit key --generate --key " +
                     key_path + " --origin " + config.audit_origin +
                     "` and keep the old verifier key for `clearcut audit verify --key`")
          .with_location({key_path, 0, 0});
    }
  }
  audit::NoteSigner signer = CC_TRY(load_or_create_signing_key(key_path, config.audit_origin));
  struct stat key_stat {};
  if (::stat(key_path.c_str(), &key_stat) == 0 && (key_stat.st_mode & 077) != 0) {
    char mode[8];
    std::snprintf(mode, sizeof(mode), "%04o", static_cast<unsigned>(key_stat.st_mode & 07777));
    service->warnings_.push_back(
        "the audit log signing key " + key_path + " is readable by group or others (mode " + mode +
        "); anyone who can read it can forge checkpoints: chmod 600 " + key_path);
  }
  std::string checkpoint_file =
      config.checkpoint_file.empty()
          ? default_checkpoint_path(config.db, key_path)
          : (config.checkpoint_file == "none" ? std::string() : config.checkpoint_file);
  service->audit_ =
      std::make_unique<clearcut::clearance::AuditLog>(std::move(signer), checkpoint_file);
  // Before anything is appended or signed: a tampered log is refused, not signed over.
  CC_TRY(service->audit_->open(*service->store_));
  CC_TRY(seed_policy(*service->store_));
  std::string now = clearance::format_rfc3339(std::chrono::system_clock::now());
  CC_TRY(service->audit_->checkpoint(*service->store_, now));
  service->audit_service_ = std::make_unique<clearance::AuditService>(
      *service->store_, *service->audit_, service->clock_);
  service->policy_ =
      std::make_unique<clearance::PolicyCache>(*service->store_, std::chrono::seconds(2));
  service->clearance_ = std::make_unique<clearance::ClearanceService>(
      *service->store_, *service->audit_, *service->policy_, service->clock_);
  service->accounts_ = std::make_unique<clearance::AccountService>(
      *service->store_, *service->audit_, service->clock_, std::chrono::hours(12), config.login);
  service->assets_ = std::make_unique<clearance::AssetService>(*service->store_, *service->audit_,
                                                               service->clock_);
  blob::BlobStore blobs = CC_TRY(blob::BlobStore::open(
      config.blob_dir.empty() ? blob::default_blob_dir(config.db) : config.blob_dir));
  service->attachments_ = std::make_unique<clearance::AttachmentService>(
      *service->store_, *service->audit_, service->clock_, std::move(blobs),
      config.max_attachment_bytes);
  service->scan_root_ = config.scan_root;
  service->scans_ = std::make_unique<clearance::ScanJobService>(*service->store_, service->clock_,
                                                                config.scan_root);
  service->notifications_ = std::make_unique<clearance::NotificationService>(
      *service->store_, *service->audit_, service->clock_);
  service->inbox_ = std::make_unique<clearance::InboxService>(*service->store_, *service->audit_,
                                                              service->clock_);
  service->dashboards_ = std::make_unique<clearance::DashboardService>(
      *service->store_, *service->policy_, service->clock_);
  service->accounts_->set_local_passwords(config.local_passwords);
  api::ApiOptions options;
  if (!config.oidc.issuer.empty()) {
    CC_TRY(oidc::OidcClient::check(config.oidc));
    service->oidc_ = std::make_unique<oidc::OidcClient>(
        config.oidc,
        [](const std::string& method, const std::string& url,
           const std::vector<std::pair<std::string, std::string>>& headers,
           const std::string& body) { return net::fetch(method, url, headers, body); },
        [] { return std::chrono::system_clock::now(); });
    service->sso_ =
        std::make_unique<clearance::SsoService>(*service->store_, *service->audit_, service->clock_,
                                                *service->accounts_, *service->oidc_, config.sso);
    options.sso = service->sso_.get();
  } else if (config.local_passwords != clearance::LocalPasswords::kOn) {
    return base::invalid_argument(
               "passwords can be limited only when single sign-on is configured (--oidc-issuer)")
        .with_field("local_passwords");
  }
  service->exports_ = std::make_unique<exports::ExportService>(
      *service->store_, *service->clearance_, *service->audit_service_, service->clock_);
  options.exports = service->exports_.get();
  options.secure_cookies = config.secure_cookies;
  options.trusted_proxies = CC_TRY(api::TrustedProxies::parse(config.trusted_proxies));
  options.openapi_json = std::string(base::find_embedded("docs/openapi.json").value_or("{}"));
  options.database = std::string(service->store_->backend());
  options.static_file = [](std::string_view path) -> std::optional<std::string_view> {
    return base::find_embedded("web" + std::string(path));
  };
  service->api_ = std::make_unique<api::ApiServer>(
      *service->clearance_, *service->accounts_, *service->assets_, *service->scans_,
      *service->audit_service_, *service->notifications_, *service->attachments_, *service->inbox_,
      *service->dashboards_, std::move(options));
  if (config.checkpoint_every_events > 0 || config.checkpoint_interval.count() > 0) {
    uint64_t every =
        config.checkpoint_every_events > 0 ? config.checkpoint_every_events : UINT64_MAX;
    std::chrono::milliseconds interval =
        config.checkpoint_interval.count() > 0
            ? config.checkpoint_interval
            : std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::hours(24 * 365));
    Service* s = service.get();
    service->checkpointer_ = std::jthread([s, every, interval](std::stop_token stop) {
      while (!stop.stop_requested()) {
        s->audit_->wait_for_appends(every, interval, stop);
        if (stop.stop_requested()) {
          break;
        }
        auto signed_note = s->audit_service_->checkpoint();
        if (!signed_note.has_value()) {
          std::fprintf(stderr, "clearcut: cannot sign an audit checkpoint: %s\n",
                       signed_note.error().to_string().c_str());
        }
      }
    });
  }
  service->notice_sweep_ = std::make_unique<clearance::NoticeSweep>(
      *service->store_, *service->audit_, service->clock_, config.notices);
  if (config.consent_sweep_interval.count() > 0) {
    clearance::ClearanceService* clearance = service->clearance_.get();
    clearance::NoticeSweep* notices = service->notice_sweep_.get();
    service->consent_sweeper_ = std::jthread(
        [clearance, notices, interval = config.consent_sweep_interval](std::stop_token stop) {
          std::mutex mu;
          std::condition_variable_any wake;
          while (!stop.stop_requested()) {
            base::Result<int> lapsed = clearance->lapse_expired_consents();
            if (!lapsed.has_value()) {
              std::fprintf(stderr, "clearcut: cannot act on expired consents: %s\n",
                           lapsed.error().to_string().c_str());
            }
            base::Result<int> sent = notices->run();
            if (!sent.has_value()) {
              std::fprintf(stderr, "clearcut: cannot send notices and digests: %s\n",
                           sent.error().to_string().c_str());
            }
            std::unique_lock lock(mu);
            wake.wait_for(lock, stop, interval, [] { return false; });
          }
        });
  }
  return service;
}

Service::~Service() {
  if (consent_sweeper_.joinable()) {
    consent_sweeper_.request_stop();
    consent_sweeper_.join();
  }
  if (checkpointer_.joinable()) {
    checkpointer_.request_stop();
    checkpointer_.join();
  }
  if (dispatcher_thread_.joinable()) {
    dispatcher_thread_.request_stop();
    dispatcher_thread_.join();
  }
  // Scan workers first: what they finish goes under the last checkpoint.
  for (std::jthread& thread : scan_threads_) {
    thread.request_stop();
  }
  scan_threads_.clear();
  if (audit_service_ != nullptr) {
    (void)audit_service_->checkpoint();
  }
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
  // Each request is read up to its route's limit: 1 MiB of JSON, or an attachment.
  options.max_body_bytes =
      std::max<std::size_t>({options.max_body_bytes, api::kMaxJsonBodyBytes,
                             static_cast<std::size_t>(attachments_->max_bytes())});
  if (!options.body_limit) {
    options.body_limit = [this](std::string_view method, std::string_view target) {
      return api_->body_limit(method, target);
    };
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

void Service::start_dispatcher(net::SmtpOptions smtp, std::string base_url,
                               notify::DispatcherOptions options) {
  options.owner = scan_worker_name(0) + ":notify";
  sender_ = std::make_unique<notify::ChannelSender>(std::move(smtp), std::move(base_url), clock_);
  dispatcher_ = std::make_unique<notify::Dispatcher>(*store_, clock_, *sender_, std::move(options));
  dispatcher_thread_ =
      std::jthread([d = dispatcher_.get()](std::stop_token stop) { d->run(stop); });
}

std::string scan_worker_name(int index) {
  char host[256] = {};
  if (gethostname(host, sizeof(host) - 1) != 0) {
    std::snprintf(host, sizeof(host), "localhost");
  }
  return std::string(host) + ":" + std::to_string(getpid()) + ":" + std::to_string(index);
}

}  // namespace clearcut::app
