#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "clearcut/api/api_server.h"
#include "clearcut/api/http/http_server.h"
#include "clearcut/base/result.h"
#include "clearcut/clearance/account_service.h"
#include "clearcut/clearance/asset_service.h"
#include "clearcut/clearance/attachment_service.h"
#include "clearcut/clearance/audit_log.h"
#include "clearcut/clearance/audit_service.h"
#include "clearcut/clearance/clearance_service.h"
#include "clearcut/clearance/clock.h"
#include "clearcut/clearance/dashboard_service.h"
#include "clearcut/clearance/inbox_service.h"
#include "clearcut/clearance/notice_sweep.h"
#include "clearcut/clearance/notification_service.h"
#include "clearcut/clearance/policy_cache.h"
#include "clearcut/clearance/scan_job_service.h"
#include "clearcut/clearance/sso_service.h"
#include "clearcut/notify/dispatcher.h"
#include "clearcut/oidc/oidc_client.h"
#include "clearcut/scan/scan_worker.h"
#include "clearcut/store/store.h"

namespace clearcut::app {

struct ServiceConfig {
  std::string db = "sqlite:clearcut.db";
  // The audit log's Ed25519 signing key, kept outside the database. Created (mode 0600) when
  // missing. Empty: "clearcut-audit.key" beside an SQLite database, else in the working dir.
  std::string signing_key;
  std::string audit_origin = "clearcut.local/audit";
  bool secure_cookies = false;
  // Reverse proxies (addresses or CIDR networks) whose X-Forwarded-For names the client.
  std::vector<std::string> trusted_proxies;
  // Sign-in throttling and the bound on password checks in flight.
  clearance::LoginLimits login;
  // Deliveries under this folder can be scanned through the API; empty: they cannot.
  std::filesystem::path scan_root;
  // The append-only file that every signed checkpoint is also written to, so that deleting
  // checkpoints from the database shows (`clearcut audit verify`). Empty:
  // "clearcut-audit.checkpoints" beside an SQLite database, else beside the signing key;
  // "none": not kept.
  std::string checkpoint_file;
  // A checkpoint is signed at startup, after every `checkpoint_every_events` events appended
  // through this process, every `checkpoint_interval` when the log grew (also events written
  // by other processes and scan workers), and when the Service is destroyed. 0 turns either
  // trigger off.
  uint64_t checkpoint_every_events = 1000;
  std::chrono::milliseconds checkpoint_interval{std::chrono::seconds(30)};
  // Consents whose expiry passed are acted on at startup and then this often
  // (ClearanceService::lapse_expired_consents), and expiry notices and digests sent
  // (NoticeSweep); 0: never.
  std::chrono::milliseconds consent_sweep_interval{std::chrono::hours(1)};
  clearance::NoticeOptions notices;
  // Where evidence attachments' bytes are kept, by SHA-256. Empty: "<file>.blobs" beside an
  // SQLite database, "clearcut-blobs" in the working directory for PostgreSQL (servers sharing
  // one database must share one directory: name it). Back it up with the database.
  std::string blob_dir;
  // The largest attachment; larger uploads are answered 413 and not read further.
  uint64_t max_attachment_bytes = 25 << 20;
  // Single sign-on with the studio's OpenID provider; an empty issuer leaves it off. `sso`'s
  // organization 0 puts accounts made at a first sign-in in the first organization.
  oidc::OidcConfig oidc;
  clearance::SsoOptions sso;
  // Who may still sign in with a password kept here.
  clearance::LocalPasswords local_passwords = clearance::LocalPasswords::kOn;
};

// The composition root: opens the store, loads the signing key, makes sure a policy pack and
// a tool registry are in place (the built-in ones on a fresh database), and wires the services
// and the API. Owns everything it creates.
class Service {
 public:
  // Refuses to start (kFailedPrecondition) when the signing key file is missing but the
  // database holds signed checkpoints, and (kDataLoss, naming the first bad entry) when the
  // stored log does not match its stored leaf hashes or its newest checkpoint.
  static base::Result<std::unique_ptr<Service>> open(const ServiceConfig& config);
  // Stops the periodic checkpointer and signs a last checkpoint.
  ~Service();

  store::Store& store() { return *store_; }
  clearance::ClearanceService& clearance() { return *clearance_; }
  clearance::AccountService& accounts() { return *accounts_; }
  clearance::AssetService& assets() { return *assets_; }
  clearance::AttachmentService& attachments() { return *attachments_; }
  clearance::ScanJobService& scans() { return *scans_; }
  clearance::NotificationService& notifications() { return *notifications_; }
  clearance::InboxService& inbox() { return *inbox_; }
  api::ApiServer& api() { return *api_; }
  clearance::AuditLog& audit() { return *audit_; }
  // Checkpoints, proofs and reading the log.
  clearance::AuditService& audit_service() { return *audit_service_; }
  const std::string& signing_key_path() const { return signing_key_path_; }
  // The checkpoint file's path; empty when none is kept.
  const std::string& checkpoint_file() const { return audit_->checkpoint_file(); }
  // What open() found worth telling the operator (a signing key readable by others).
  const std::vector<std::string>& warnings() const { return warnings_; }

  // Starts serving HTTP; the server calls api().handle. The server reads bodies up to the
  // larger of options.max_body_bytes and the attachment limit (the API holds JSON requests to
  // api::kMaxJsonBodyBytes).
  base::Result<std::unique_ptr<http::HttpServer>> serve(http::HttpServerOptions options);

  // Starts `count` scan workers on threads of this process, running jobs under the scan root
  // with `options` (decoder threads, watermark key). They stop when the Service is destroyed
  // (after the file each is scanning). kFailedPrecondition without a scan root.
  base::Status start_scan_workers(int count, const scan::ScanOptions& options);

  // Starts the outbox dispatcher on a thread of this process: e-mail through `smtp` (no url:
  // e-mails go to the dead letters at once, for an admin to retry once SMTP is set up), links
  // under `base_url`. Its owner name is made unique here. It stops when the Service is
  // destroyed, after the delivery in flight.
  void start_dispatcher(net::SmtpOptions smtp, std::string base_url,
                        notify::DispatcherOptions options);

 private:
  Service() = default;

  clearance::SystemClock clock_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<clearance::AuditLog> audit_;
  std::unique_ptr<clearance::AuditService> audit_service_;
  std::unique_ptr<clearance::PolicyCache> policy_;
  std::unique_ptr<clearance::ClearanceService> clearance_;
  std::unique_ptr<clearance::AccountService> accounts_;
  std::unique_ptr<clearance::AssetService> assets_;
  std::unique_ptr<clearance::AttachmentService> attachments_;
  std::unique_ptr<exports::ExportService> exports_;
  std::unique_ptr<oidc::OidcClient> oidc_;
  std::unique_ptr<clearance::SsoService> sso_;
  std::unique_ptr<api::ApiServer> api_;
  std::string signing_key_path_;
  std::vector<std::string> warnings_;
  std::filesystem::path scan_root_;
  std::unique_ptr<clearance::ScanJobService> scans_;
  std::unique_ptr<clearance::NotificationService> notifications_;
  std::unique_ptr<clearance::NoticeSweep> notice_sweep_;
  std::unique_ptr<clearance::InboxService> inbox_;
  std::unique_ptr<clearance::DashboardService> dashboards_;
  // Last, so that they stop before anything they use goes away.
  std::vector<std::unique_ptr<scan::ScanWorker>> scan_workers_;
  std::vector<std::jthread> scan_threads_;
  std::unique_ptr<notify::Sender> sender_;
  std::unique_ptr<notify::Dispatcher> dispatcher_;
  std::jthread dispatcher_thread_;
  std::jthread checkpointer_;
  std::jthread consent_sweeper_;
};

// "host:pid:index": how a scan worker names itself to the store.
std::string scan_worker_name(int index);

// `file_name` beside an SQLite database (`db` is sqlite:PATH or a bare path), else in the
// working directory: where the signing key and the checkpoint file go by default.
std::string default_audit_path(const std::string& db, const std::string& file_name);

// The checkpoint file's default: "clearcut-audit.checkpoints" beside an SQLite database, else
// beside the signing key (`signing_key`, a path).
std::string default_checkpoint_path(const std::string& db, const std::string& signing_key);

// Loads the signer key at `path`; kNotFound when missing, kInvalidArgument when not a key.
base::Result<audit::NoteSigner> load_signing_key(const std::string& path);

// Loads the signer key at `path`, creating a new key there (mode 0600) when the file does not
// exist. A file that exists but does not hold a key is an error.
base::Result<audit::NoteSigner> load_or_create_signing_key(const std::string& path,
                                                           const std::string& origin);

}  // namespace clearcut::app
