#pragma once

#include <memory>
#include <string>

#include "clearcut/api/api_server.h"
#include "clearcut/api/http/http_server.h"
#include "clearcut/base/result.h"
#include "clearcut/clearance/account_service.h"
#include "clearcut/clearance/asset_service.h"
#include "clearcut/clearance/audit_log.h"
#include "clearcut/clearance/clearance_service.h"
#include "clearcut/clearance/clock.h"
#include "clearcut/clearance/policy_cache.h"
#include "clearcut/store/store.h"

namespace clearcut::app {

struct ServiceConfig {
  std::string db = "sqlite:clearcut.db";
  // The audit log's Ed25519 signing key, kept outside the database. Created (mode 0600) when
  // missing. Empty: "clearcut-audit.key" beside an SQLite database, else in the working dir.
  std::string signing_key;
  std::string audit_origin = "clearcut.local/audit";
  bool secure_cookies = false;
};

// The composition root: opens the store, loads the signing key, makes sure a policy pack and
// a tool registry are in place (the built-in ones on a fresh database), and wires the services
// and the API. Owns everything it creates.
class Service {
 public:
  static base::Result<std::unique_ptr<Service>> open(const ServiceConfig& config);

  store::Store& store() { return *store_; }
  clearance::ClearanceService& clearance() { return *clearance_; }
  clearance::AccountService& accounts() { return *accounts_; }
  clearance::AssetService& assets() { return *assets_; }
  api::ApiServer& api() { return *api_; }
  clearance::AuditLog& audit() { return *audit_; }
  const std::string& signing_key_path() const { return signing_key_path_; }

  // Starts serving HTTP; the server calls api().handle.
  base::Result<std::unique_ptr<http::HttpServer>> serve(http::HttpServerOptions options);

 private:
  Service() = default;

  clearance::SystemClock clock_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<clearance::AuditLog> audit_;
  std::unique_ptr<clearance::PolicyCache> policy_;
  std::unique_ptr<clearance::ClearanceService> clearance_;
  std::unique_ptr<clearance::AccountService> accounts_;
  std::unique_ptr<clearance::AssetService> assets_;
  std::unique_ptr<api::ApiServer> api_;
  std::string signing_key_path_;
};

// Loads the signer key at `path`, creating a new key there (mode 0600) when the file does not
// exist. A file that exists but does not hold a key is an error.
base::Result<audit::NoteSigner> load_or_create_signing_key(const std::string& path,
                                                           const std::string& origin);

}  // namespace clearcut::app
