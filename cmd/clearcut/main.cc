#include <cstdio>
#include <exception>

#include "cmd/clearcut/commands.h"

int main(int argc, char** argv) {
  CLI::App app{"clearcut: GenAI clearance and provenance for film and TV production"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "clearcut 0.1.0");
  int exit_code = 0;
  clearcut::cmd::add_assess_command(app, &exit_code);
  clearcut::cmd::add_policy_command(app, &exit_code);
  clearcut::cmd::add_keys_command(app, &exit_code);
  clearcut::cmd::add_serve_command(app, &exit_code);
  clearcut::cmd::add_admin_command(app, &exit_code);
  clearcut::cmd::add_audit_command(app, &exit_code);
  clearcut::cmd::add_stamp_command(app, &exit_code);
  clearcut::cmd::add_inspect_command(app, &exit_code);
  clearcut::cmd::add_scan_command(app, &exit_code);
  clearcut::cmd::add_scan_worker_command(app, &exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? 0 : clearcut::cmd::kExitInvalidInput;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "clearcut: internal error: %s\n", e.what());
    return clearcut::cmd::kExitInternalError;
  }
  return exit_code;
}
