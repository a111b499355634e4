#include <pthread.h>
#include <signal.h>

#include <cstdio>
#include <memory>
#include <string>

#include "cmd/clearcut/commands.h"

#include "clearcut/app/demo.h"
#include "clearcut/app/service.h"

namespace clearcut::cmd {
namespace {

struct ServeOptions {
  app::ServiceConfig config;
  std::string address = "127.0.0.1";
  int port = 8080;
  int threads = 2;
  int handler_threads = 8;
  bool demo = false;
};

int run_serve(const ServeOptions& options) {
  // Block the stop signals in every thread; this one waits for them below.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  auto service = app::Service::open(options.config);
  if (!service.has_value()) {
    std::fprintf(stderr, "clearcut serve: %s\n", service.error().to_string().c_str());
    return kExitInvalidInput;
  }
  if (options.demo) {
    auto demo = app::seed_demo(**service);
    if (!demo.has_value()) {
      std::fprintf(stderr, "clearcut serve: demo: %s\n", demo.error().to_string().c_str());
      return 1;
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
  http::HttpServerOptions http;
  http.address = options.address;
  http.port = static_cast<uint16_t>(options.port);
  http.threads = options.threads;
  http.handler_threads = options.handler_threads;
  auto server = (*service)->serve(http);
  if (!server.has_value()) {
    std::fprintf(stderr, "clearcut serve: %s\n", server.error().to_string().c_str());
    return kExitInvalidInput;
  }
  std::printf("clearcut serving on http://%s:%u/ (database %s, audit key %s)\n",
              options.address.c_str(), (*server)->port(), options.config.db.c_str(),
              (*service)->signing_key_path().c_str());
  std::fflush(stdout);
  int signal_number = 0;
  sigwait(&signals, &signal_number);
  std::printf("clearcut: signal %d, finishing in-flight requests\n", signal_number);
  std::fflush(stdout);
  (*server)->stop();
  // A final checkpoint covers everything written before the stop.
  (void)(*service)->clearance().checkpoint();
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
  cmd->add_flag("--secure-cookies", options->config.secure_cookies,
                "Mark the session cookie Secure (when served over HTTPS)");
  cmd->add_flag("--demo", options->demo,
                "Seed an empty database with demo users, productions and use cases");
  cmd->callback([options, exit_code] { *exit_code = run_serve(*options); });
}

}  // namespace clearcut::cmd
