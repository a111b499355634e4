#include <cstdio>
#include <exception>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cmd/clearcut/commands.h"

#include "clearcut/base/text.h"

namespace {

// The message for a word standing where a command is expected that names none (`clearcut scna`,
// `clearcut audit verfy`), else nullopt. CLI11 alone would say "A subcommand is required", which
// hides the typo.
std::optional<std::string> unknown_command(CLI::App& app, int argc, char** argv) {
  CLI::App* current = &app;
  for (int i = 1; i < argc; ++i) {
    std::string_view word = argv[i];
    std::vector<CLI::App*> commands = current->get_subcommands([](CLI::App*) { return true; });
    if (word.starts_with("-") || commands.empty()) {
      return std::nullopt;
    }
    CLI::App* next = nullptr;
    std::vector<std::string_view> names;
    for (CLI::App* command : commands) {
      names.push_back(command->get_name());
      if (command->get_name() == word) {
        next = command;
      }
    }
    if (next == nullptr) {
      std::string message = "unknown command '" + std::string(word) + "'";
      std::string best = clearcut::base::closest_name(word, names);
      if (!best.empty()) {
        message += " (did you mean '" + best + "'?)";
      }
      std::string path = current == &app ? "clearcut" : "clearcut " + current->get_name();
      return message + "; `" + path + " --help` lists the commands";
    }
    current = next;
  }
  return std::nullopt;
}

}  // namespace

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
  if (std::optional<std::string> unknown = unknown_command(app, argc, argv)) {
    std::fprintf(stderr, "clearcut: %s\n", unknown->c_str());
    return clearcut::cmd::kExitInvalidInput;
  }
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
