#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include "cmd/clearcut/commands.h"

#include "clearcut/app/policy_source.h"
#include "clearcut/app/service.h"
#include "clearcut/clearance/audit_payloads.h"

namespace clearcut::cmd {
namespace {

struct AdminOptions {
  app::ServiceConfig config;
  std::string email;
  std::string name;
  std::string organization = "Studio";
  bool admin = false;
  std::string token_name = "automation";
  std::string file;
};

int run_create_user(const AdminOptions& options) {
  const char* password = std::getenv("CLEARCUT_PASSWORD");
  if (password == nullptr) {
    return usage_error("admin create-user",
                       "set CLEARCUT_PASSWORD (kept out of the process list and shell history)");
  }
  auto service = app::Service::open(options.config);
  if (!service.has_value()) {
    return fail("admin create-user", service.error());
  }
  auto& accounts = (*service)->accounts();
  int64_t org_id = 0;
  {
    auto tx = (*service)->store().begin();
    if (!tx.has_value()) {
      return fail("admin create-user", tx.error());
    }
    auto orgs = (*tx)->accounts().list_organizations();
    if (!orgs.has_value()) {
      return fail("admin create-user", orgs.error());
    }
    for (const auto& o : *orgs) {
      if (o.name == options.organization) {
        org_id = o.id;
      }
    }
  }
  if (org_id == 0) {
    auto org = accounts.create_organization(nullptr, options.organization);
    if (!org.has_value()) {
      return fail("admin create-user", org.error());
    }
    org_id = org->id;
  }
  auto user =
      accounts.create_user(nullptr, {org_id, options.email, options.name, password, options.admin});
  if (!user.has_value()) {
    return fail("admin create-user", user.error());
  }
  std::printf("created user %lld <%s>%s\n", static_cast<long long>(user->id), user->email.c_str(),
              user->admin ? " (admin)" : "");
  return 0;
}

int run_create_token(const AdminOptions& options) {
  auto service = app::Service::open(options.config);
  if (!service.has_value()) {
    return fail("admin create-token", service.error());
  }
  auto tx = (*service)->store().begin();
  if (!tx.has_value()) {
    return fail("admin create-token", tx.error());
  }
  auto user = (*tx)->accounts().find_user_by_email(options.email);
  if (!user.has_value() || !*user) {
    return fail("admin create-token",
                user.has_value() ? base::not_found("no user " + options.email) : user.error());
  }
  auto actor = (*service)->accounts().actor_for(**tx, (*user)->id);
  tx->reset();
  if (!actor.has_value()) {
    return fail("admin create-token", actor.error());
  }
  auto token = (*service)->accounts().create_token(*actor, options.token_name);
  if (!token.has_value()) {
    return fail("admin create-token", token.error());
  }
  std::printf("%s\n", token->secret.c_str());
  return 0;
}

int run_import_tools(const AdminOptions& options) {
  auto registry = app::load_tool_registry(options.file);
  if (!registry.has_value()) {
    return fail("admin import-tools", registry.error());
  }
  auto service = app::Service::open(options.config);
  if (!service.has_value()) {
    return fail("admin import-tools", service.error());
  }
  auto tx = (*service)->store().begin();
  if (!tx.has_value()) {
    return fail("admin import-tools", tx.error());
  }
  std::string now = clearance::format_rfc3339(std::chrono::system_clock::now());
  for (const domain::Tool& tool : registry->tools()) {
    if (auto status = (*tx)->policy().upsert_tool(tool); !status.has_value()) {
      return fail("admin import-tools", status.error());
    }
    // Logged as an admin's edit is, so that `audit verify` can rebuild the registry.
    auto logged = (*service)->audit().append(
        **tx, {0, now, "admin-cli", "tool.saved", "tool", "0", clearance::tool_payload(tool)});
    if (!logged.has_value()) {
      return fail("admin import-tools", logged.error());
    }
  }
  if (auto status = (*tx)->commit(); !status.has_value()) {
    return fail("admin import-tools", status.error());
  }
  std::printf("imported %zu tools\n", registry->tools().size());
  return 0;
}

}  // namespace

void add_admin_command(CLI::App& app, int* exit_code) {
  auto options = std::make_shared<AdminOptions>();
  CLI::App* admin = app.add_subcommand("admin", "Create users and tokens, import tool registries");
  admin->require_subcommand(1);
  admin->footer(exit_codes_footer({{kExitOk, "done"}}));
  for (CLI::App* sub :
       {admin->add_subcommand("create-user", "Create a user (password from CLEARCUT_PASSWORD)"),
        admin->add_subcommand("create-token", "Create an API token for a user and print it"),
        admin->add_subcommand("import-tools", "Import a tool registry file (tools: [...])")}) {
    sub->add_option("--db", options->config.db, "sqlite:PATH or postgresql://...");
    sub->add_option("--signing-key", options->config.signing_key, "Audit log signing key file");
    sub->footer(exit_codes_footer({{kExitOk, "done"}}));
  }
  CLI::App* create_user = admin->get_subcommand("create-user");
  create_user->add_option("--email", options->email, "Email (the sign-in name)")->required();
  create_user->add_option("--name", options->name, "Display name");
  create_user->add_option("--organization", options->organization,
                          "Organization name (created when missing; default Studio)");
  create_user->add_flag("--admin", options->admin, "Give the admin role");
  create_user->callback([options, exit_code] { *exit_code = run_create_user(*options); });
  CLI::App* create_token = admin->get_subcommand("create-token");
  create_token->add_option("--email", options->email, "The token's user")->required();
  create_token->add_option("--name", options->token_name, "What the token is for");
  create_token->callback([options, exit_code] { *exit_code = run_create_token(*options); });
  CLI::App* import_tools = admin->get_subcommand("import-tools");
  import_tools->add_option("file", options->file, "Registry file")
      ->required()
      ->check(CLI::ExistingFile);
  import_tools->callback([options, exit_code] { *exit_code = run_import_tools(*options); });
}

}  // namespace clearcut::cmd
