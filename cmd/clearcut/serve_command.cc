#include <pthread.h>
#include <signal.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <string>

#include "cmd/clearcut/commands.h"

#include "clearcut/app/demo.h"
#include "clearcut/app/service.h"
#include "clearcut/base/file.h"
#include "clearcut/stamp/stamper.h"

namespace clearcut::cmd {
namespace {

struct ServeOptions {
  app::ServiceConfig config;
  std::string address = "127.0.0.1";
  int port = 8080;
  int threads = 2;
  int handler_threads = 8;
  bool demo = false;
  int scan_workers = 1;
  int scan_threads = 0;
  double file_time_limit = 600;
  double file_seconds_per_gib = 600;
  std::string watermark_key_file;
  std::string watermark_passphrase_env;
  int checkpoint_seconds = 30;
  net::SmtpOptions smtp;
  std::string smtp_password_file;
  std::string public_url = "http://127.0.0.1:8080";
  int notify_lease_seconds = 60;
  int notify_max_attempts = 8;
  int consent_sweep_seconds = 3600;
  std::string oidc_client_secret_file;
  std::string local_passwords = "on";
};

// The first line of a secret file, without its line end.
base::Result<std::string> read_secret(const std::string& path) {
  std::string text = CC_TRY(base::read_file(path));
  text = text.substr(0, text.find_first_of("\r\n"));
  return text;
}

int run_serve(const ServeOptions& options) {
  // Block the stop signals in every thread; this one waits for them below.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  app::ServiceConfig config = options.config;
  if (!config.oidc.issuer.empty()) {
    if (options.oidc_client_secret_file.empty()) {
      return fail("serve", base::invalid_argument("single sign-on needs the client secret")
                               .with_field("--oidc-client-secret-file"));
    }
    auto secret = read_secret(options.oidc_client_secret_file);
    if (!secret.has_value()) {
      return fail("serve: --oidc-client-secret-file", secret.error());
    }
    config.oidc.client_secret = *secret;
    if (config.oidc.redirect_uri.empty()) {
      config.oidc.redirect_uri = options.public_url + "/api/v1/sso/callback";
    }
  }
  auto local_passwords = clearance::parse_local_passwords(options.local_passwords);
  if (!local_passwords) {
    return fail("serve", base::invalid_argument("expected on, admins or off, not \"" +
                                                options.local_passwords + "\"")
                             .with_field("--local-passwords"));
  }
  config.local_passwords = *local_passwords;
  auto service = app::Service::open(config);
  if (!service.has_value()) {
    return fail("serve", service.error());
  }
  for (const std::string& warning : (*service)->warnings()) {
    std::fprintf(stderr, "clearcut serve: warning: %s\n", warning.c_str());
  }
  if (options.demo) {
    auto demo = app::seed_demo(**service);
    if (!demo.has_value()) {
      return fail("serve: demo", demo.error());
    }
    if (demo->seeded) {
      std::printf("Demo data seeded. Sign in with password '%s' as:\n", demo->password.c_str());
      for (const auto& account : demo->accounts) {
        std::printf("  %-26s %s\n", account.email.c_str(), account.role.c_str());
      }
    } else {
      std::printf(
          "Demo: the database already has users; nothing seeded (password of seeded "
          "accounts: %s).\n",
          std::string(app::kDemoPassword).c_str());
    }
  }
  if (!options.config.scan_root.empty() && options.scan_workers > 0) {
    auto key =
        stamp::load_watermark_key(options.watermark_key_file, options.watermark_passphrase_env);
    if (!key.has_value()) {
      return fail("serve", key.error());
    }
    scan::ScanOptions scan;
    scan.threads = options.scan_threads;
    scan.file_time_limit_seconds = options.file_time_limit;
    scan.file_seconds_per_gib = options.file_seconds_per_gib;
    scan.watermark_key = *key;
    base::Status started = (*service)->start_scan_workers(options.scan_workers, scan);
    if (!started.has_value()) {
      return fail("serve", started.error());
    }
    std::printf("scan workers: %d, scanning deliveries under %s\n", options.scan_workers,
                options.config.scan_root.c_str());
  }
  net::SmtpOptions smtp = options.smtp;
  if (!options.smtp_password_file.empty()) {
    auto password = read_secret(options.smtp_password_file);
    if (!password.has_value()) {
      return fail("serve: --smtp-password-file", password.error());
    }
    smtp.password = *password;
  }
  notify::DispatcherOptions dispatch;
  dispatch.lease = std::chrono::seconds(options.notify_lease_seconds);
  dispatch.max_attempts = options.notify_max_attempts;
  (*service)->start_dispatcher(std::move(smtp), options.public_url, dispatch);
  http::HttpServerOptions http;
  http.address = options.address;
  http.port = static_cast<uint16_t>(options.port);
  http.threads = options.threads;
  http.handler_threads = options.handler_threads;
  auto server = (*service)->serve(http);
  if (!server.has_value()) {
    return fail("serve", server.error());
  }
  std::printf("clearcut serving on http://%s:%u/ (database %s, audit key %s, checkpoints %s)\n",
              options.address.c_str(), (*server)->port(), options.config.db.c_str(),
              (*service)->signing_key_path().c_str(),
              (*service)->checkpoint_file().empty() ? "only in the database"
                                                    : (*service)->checkpoint_file().c_str());
  std::fflush(stdout);
  int signal_number = 0;
  sigwait(&signals, &signal_number);
  std::printf("clearcut: signal %d, finishing in-flight requests\n", signal_number);
  std::fflush(stdout);
  (*server)->stop();
  // A final checkpoint covers everything written before the stop.
  (void)(*service)->audit_service().checkpoint();
  std::printf("clearcut: stopped\n");
  return 0;
}

}  // namespace

void add_serve_command(CLI::App& app, int* exit_code) {
  auto options = std::make_shared<ServeOptions>();
  CLI::App* cmd = app.add_subcommand("serve", "Run the clearance service (REST API and web UI)");
  cmd->add_option("--db", options->config.db,
                  "sqlite:PATH (default sqlite:clearcut.db) or postgresql://...");
  cmd->add_option("--address", options->address, "Address to listen on (default 127.0.0.1)");
  cmd->add_option("--port", options->port, "Port (default 8080; 0 picks a free one)")
      ->check(CLI::Range(0, 65535));
  cmd->add_option("--threads", options->threads, "I/O threads (default 2)")
      ->check(CLI::Range(1, 256));
  cmd->add_option("--handler-threads", options->handler_threads,
                  "Threads running requests (default 8)")
      ->check(CLI::Range(0, 1024));
  cmd->add_option("--signing-key", options->config.signing_key,
                  "Audit log signing key file (created when missing; default: beside the "
                  "SQLite database)");
  cmd->add_option("--audit-origin", options->config.audit_origin,
                  "Name of the audit log in its checkpoints");
  cmd->add_option("--checkpoint-file", options->config.checkpoint_file,
                  "Append-only file that every signed audit checkpoint is also written to, for "
                  "`clearcut audit verify` and shipping elsewhere (default: "
                  "clearcut-audit.checkpoints beside the SQLite database; \"none\": not kept)");
  cmd->add_option("--checkpoint-every", options->config.checkpoint_every_events,
                  "Sign an audit checkpoint after this many events (default 1000; 0: only by "
                  "time)");
  cmd->add_option("--checkpoint-interval", options->checkpoint_seconds,
                  "Sign an audit checkpoint this often, in seconds, when the log grew (default "
                  "30; 0: only by count). Checkpoints are also signed at start and stop")
      ->check(CLI::Range(0, 86400));
  cmd->add_option("--consent-sweep-interval", options->consent_sweep_seconds,
                  "Act on consents whose expiry passed (suspend what they covered), send expiry "
                  "notices and the daily digests, at start and then this often, in seconds "
                  "(default 3600; 0: never)")
      ->check(CLI::Range(0, 86400));
  cmd->add_option("--expiry-notice-days", options->config.notices.expiry_notice_days,
                  "Tell contacts, legal and the requester this many days before an approval or "
                  "a consent expires (default 14; 0: no notice)")
      ->check(CLI::Range(0, 365));
  cmd->add_option("--digest-hour", options->config.notices.digest_hour,
                  "The hour (UTC, 0-23) at which daily digests go out to those who chose them "
                  "(default 8)")
      ->check(CLI::Range(0, 23));
  cmd->add_option("--blob-dir", options->config.blob_dir,
                  "Directory that keeps evidence attachments by SHA-256 (created when missing; "
                  "default: <database file>.blobs beside the SQLite database, clearcut-blobs in "
                  "the working directory for PostgreSQL). Servers sharing a database share it; "
                  "back it up with the database");
  cmd->add_option("--max-attachment-bytes", options->config.max_attachment_bytes,
                  "Largest evidence attachment in bytes (default 26214400, 25 MiB); larger "
                  "uploads are answered 413")
      ->check(CLI::Range(uint64_t{1}, uint64_t{1} << 32));
  cmd->add_flag("--secure-cookies", options->config.secure_cookies,
                "Mark the session cookie Secure (when served over HTTPS)");
  cmd->add_option("--trusted-proxy", options->config.trusted_proxies,
                  "A reverse proxy (address or CIDR network) whose X-Forwarded-For header names "
                  "the client; repeatable. Other peers are taken at their own address");
  cmd->add_option("--scan-root", options->config.scan_root,
                  "Folder whose files can be scanned through the API (paths are relative to it)")
      ->check(CLI::ExistingDirectory);
  cmd->add_option("--scan-workers", options->scan_workers,
                  "Scan workers in this process when --scan-root is set (default 1; 0: none, "
                  "other processes run `clearcut scan-worker`)")
      ->check(CLI::Range(0, 64));
  cmd->add_option("--scan-threads", options->scan_threads,
                  "Decoder threads per scan worker (0: automatic)")
      ->check(CLI::Range(0, 256));
  add_file_time_limit_options(cmd, &options->file_time_limit, &options->file_seconds_per_gib);
  auto* key = cmd->add_option("--watermark-key", options->watermark_key_file,
                              "File holding the watermark key (32 bytes or 64 hex digits)");
  cmd->add_option("--watermark-passphrase", options->watermark_passphrase_env,
                  "Environment variable holding the watermark passphrase")
      ->excludes(key);
  cmd->add_option("--smtp-url", options->smtp.url,
                  "Where notification e-mail goes: smtp://host:587 (STARTTLS when offered, "
                  "required with --smtp-user) or smtps://host:465. Unset: e-mails go to the "
                  "outbox's dead letters");
  cmd->add_option("--smtp-user", options->smtp.user, "SMTP user name (AUTH over TLS only)");
  cmd->add_option("--smtp-password-file", options->smtp_password_file,
                  "File holding the SMTP password")
      ->check(CLI::ExistingFile);
  cmd->add_option("--mail-from", options->smtp.from,
                  "The From address of notification e-mail (default clearcut@localhost)");
  cmd->add_option("--public-url", options->public_url,
                  "The service's address as its users reach it, for links in e-mail and "
                  "webhooks (default http://127.0.0.1:8080)");
  cmd->add_option("--notify-lease", options->notify_lease_seconds,
                  "Seconds a dispatcher holds a notification it is delivering; another takes it "
                  "over after (default 60)")
      ->check(CLI::Range(1, 3600));
  cmd->add_option("--notify-attempts", options->notify_max_attempts,
                  "Delivery attempts before a notification becomes a dead letter (default 8)")
      ->check(CLI::Range(1, 100));
  cmd->add_option("--oidc-issuer", options->config.oidc.issuer,
                  "Single sign-on: the OpenID provider's issuer URL (https://, or http:// on "
                  "loopback); its discovery document is read from "
                  "<issuer>/.well-known/openid-configuration. Unset: no single sign-on");
  cmd->add_option("--oidc-client-id", options->config.oidc.client_id,
                  "The client id the provider registered for this service");
  cmd->add_option("--oidc-client-secret-file", options->oidc_client_secret_file,
                  "File holding the client secret")
      ->check(CLI::ExistingFile);
  cmd->add_option("--oidc-redirect-uri", options->config.oidc.redirect_uri,
                  "The callback the provider registered (default: --public-url followed by "
                  "/api/v1/sso/callback)");
  cmd->add_option("--oidc-scopes", options->config.oidc.scopes,
                  "Scopes asked for (default \"openid email profile\"; add the one that "
                  "releases group claims, e.g. groups)");
  cmd->add_option("--oidc-provider-name", options->config.sso.provider_name,
                  "The provider's name on the sign-in button (\"Sign in with ...\")");
  cmd->add_option("--oidc-organization", options->config.sso.organization_id,
                  "Organization id that accounts made at a first sign-in join (default: the "
                  "first organization)");
  cmd->add_option("--local-passwords", options->local_passwords,
                  "Who may sign in with a password kept here when single sign-on is on: on "
                  "(everyone, default), admins (a way in when the provider is down) or off")
      ->check(CLI::IsMember({"on", "admins", "off"}));
  cmd->add_flag("--demo", options->demo,
                "Seed an empty database with demo users, productions and use cases");
  cmd->footer(exit_codes_footer({{kExitOk, "stopped by SIGTERM or SIGINT"}}));
  cmd->callback([options, exit_code] {
    options->config.checkpoint_interval = std::chrono::seconds(options->checkpoint_seconds);
    options->config.consent_sweep_interval = std::chrono::seconds(options->consent_sweep_seconds);
    *exit_code = run_serve(*options);
  });
}

}  // namespace clearcut::cmd
