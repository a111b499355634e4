#include <cstdio>
#include <memory>
#include <string>

#include "cmd/clearcut/commands.h"
#include <nlohmann/json.hpp>

#include "clearcut/app/policy_source.h"
#include "clearcut/app/service.h"
#include "clearcut/audit/audit_log_verifier.h"
#include "clearcut/audit/note_verifier.h"
#include "clearcut/base/hex.h"
#include "clearcut/domain/declaration_reader.h"
#include "clearcut/policy/decision_view.h"
#include "clearcut/policy/engine.h"
#include "clearcut/store/store.h"

namespace clearcut::cmd {
namespace {

struct AuditOptions {
  std::string db = "sqlite:clearcut.db";
  std::string signing_key;
  std::string verifier_key;
  int64_t use_case = 0;
};

base::Result<audit::NoteVerifier> verifier_for(const AuditOptions& options) {
  if (!options.verifier_key.empty()) {
    return audit::NoteVerifier::parse(options.verifier_key);
  }
  std::string path = options.signing_key;
  if (path.empty()) {
    app::ServiceConfig config;
    config.db = options.db;
    // The same default the service uses.
    std::string db = options.db.rfind("sqlite:", 0) == 0 ? options.db.substr(7) : options.db;
    path = db.find("://") != std::string::npos
               ? "clearcut-audit.key"
               : (std::filesystem::path(db).parent_path() / "clearcut-audit.key").string();
  }
  std::string text = CC_TRY(app::read_file(path));
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) {
    text.pop_back();
  }
  audit::NoteSigner signer = CC_TRY(audit::NoteSigner::parse(text));
  return signer.verifier();
}

int run_verify(const AuditOptions& options) {
  auto verifier = verifier_for(options);
  if (!verifier.has_value()) {
    std::fprintf(stderr, "clearcut audit verify: %s\n", verifier.error().to_string().c_str());
    return kExitInvalidInput;
  }
  auto store = store::open_store(options.db);
  if (!store.has_value()) {
    std::fprintf(stderr, "clearcut audit verify: %s\n", store.error().to_string().c_str());
    return kExitInvalidInput;
  }
  auto tx = (*store)->begin();
  if (!tx.has_value()) {
    std::fprintf(stderr, "clearcut audit verify: %s\n", tx.error().to_string().c_str());
    return 1;
  }
  std::vector<audit::AuditEvent> events;
  std::vector<audit::Hash> leaf_hashes;
  bool leaf_hashes_ok = true;
  for (uint64_t from = 0;;) {
    auto page = (*tx)->list_audit_events(from, 10000);
    if (!page.has_value()) {
      std::fprintf(stderr, "clearcut audit verify: %s\n", page.error().to_string().c_str());
      return 1;
    }
    for (const store::AuditRecord& r : *page) {
      events.push_back(r.event);
      auto bytes = base::from_hex(r.leaf_hash);
      audit::Hash h{};
      if (bytes && bytes->size() == h.size()) {
        std::copy(bytes->begin(), bytes->end(), h.begin());
      } else {
        leaf_hashes_ok = false;
      }
      leaf_hashes.push_back(h);
    }
    if (page->size() < 10000) {
      break;
    }
    from = page->back().event.sequence + 1;
  }
  auto checkpoints = (*tx)->list_checkpoints();
  if (!checkpoints.has_value()) {
    std::fprintf(stderr, "clearcut audit verify: %s\n", checkpoints.error().to_string().c_str());
    return 1;
  }
  std::vector<std::string> notes;
  for (const auto& c : *checkpoints) {
    notes.push_back(c.note);
  }
  audit::VerifyLogOptions verify_options;
  if (leaf_hashes_ok) {
    verify_options.stored_leaf_hashes = leaf_hashes;
  }
  auto result = audit::verify_log(events, notes, *verifier, verify_options);
  if (!result.has_value()) {
    std::fprintf(stderr, "clearcut audit verify: %s\n", result.error().to_string().c_str());
    return 1;
  }
  if (result->ok()) {
    std::printf(
        "audit log OK: %llu events, %zu signed checkpoints, %llu events covered by the "
        "latest checkpoint\n",
        static_cast<unsigned long long>(result->event_count), result->valid_checkpoints,
        static_cast<unsigned long long>(result->verified_size));
    return 0;
  }
  for (const audit::TamperFinding& f : result->findings) {
    std::printf("TAMPERED (%s)%s: %s\n", std::string(audit::tamper_kind_name(f.kind)).c_str(),
                f.first_sequence ? (" at entry " + std::to_string(*f.first_sequence)).c_str() : "",
                f.message.c_str());
  }
  const audit::TamperFinding* first = result->first();
  std::printf("audit log FAILED: first bad entry %s\n",
              first->first_sequence ? std::to_string(*first->first_sequence).c_str() : "(none)");
  return 1;
}

int run_replay(const AuditOptions& options) {
  auto store = store::open_store(options.db);
  if (!store.has_value()) {
    std::fprintf(stderr, "clearcut audit replay: %s\n", store.error().to_string().c_str());
    return kExitInvalidInput;
  }
  auto tx = (*store)->begin();
  if (!tx.has_value()) {
    std::fprintf(stderr, "clearcut audit replay: %s\n", tx.error().to_string().c_str());
    return 1;
  }
  auto packs = (*tx)->list_policy_packs();
  if (!packs.has_value()) {
    std::fprintf(stderr, "clearcut audit replay: %s\n", packs.error().to_string().c_str());
    return 1;
  }
  std::map<std::string, std::shared_ptr<const policy::Engine>> engines;
  int same = 0;
  int differ = 0;
  store::UseCaseFilter filter;
  filter.limit = 500;
  for (;;) {
    auto page = (*tx)->list_use_cases(filter);
    if (!page.has_value()) {
      std::fprintf(stderr, "clearcut audit replay: %s\n", page.error().to_string().c_str());
      return 1;
    }
    for (const domain::UseCase& u : *page) {
      if (u.decision_json.empty() || (options.use_case != 0 && u.id != options.use_case)) {
        continue;
      }
      if (!engines.count(u.policy_digest)) {
        for (const auto& p : *packs) {
          if (p.digest != u.policy_digest) {
            continue;
          }
          auto record = (*tx)->get_policy_pack(p.id);
          auto pack = record.has_value() ? policy::PolicyPack::parse(record->text, p.name)
                                         : base::Result<policy::PolicyPack>(record.error());
          if (pack.has_value() && pack->digest() == u.policy_digest) {
            engines[u.policy_digest] = std::make_shared<const policy::Engine>(
                std::make_shared<const policy::PolicyPack>(std::move(pack).value()));
          }
        }
      }
      auto engine = engines.find(u.policy_digest);
      auto declaration = domain::parse_declaration(u.declaration_json, "stored declaration");
      if (engine == engines.end() || !declaration.has_value()) {
        std::printf("use case %lld: cannot replay (%s)\n", static_cast<long long>(u.id),
                    engine == engines.end() ? "its policy pack is not stored"
                                            : declaration.error().to_string().c_str());
        ++differ;
        continue;
      }
      policy::Decision decision = engine->second->evaluate(*declaration);
      std::string replayed =
          policy::to_json(policy::explain(engine->second->pack(), *declaration, decision));
      auto stored = nlohmann::json::parse(u.decision_json, nullptr, false);
      auto again = nlohmann::json::parse(replayed);
      bool equal = !stored.is_discarded() && stored["outcome"] == again["outcome"] &&
                   stored["rules"] == again["rules"] && stored["actions"] == again["actions"];
      std::printf("use case %lld: %s (%s, policy %s)\n", static_cast<long long>(u.id),
                  equal ? "same decision" : "DIFFERENT decision",
                  again["outcome"].get<std::string>().c_str(),
                  u.policy_digest.substr(0, 12).c_str());
      (equal ? same : differ)++;
    }
    if (page->size() < static_cast<size_t>(filter.limit)) {
      break;
    }
    filter.after_id = page->back().id;
  }
  std::printf("replay: %d same, %d different\n", same, differ);
  return differ == 0 ? 0 : 1;
}

}  // namespace

void add_audit_command(CLI::App& app, int* exit_code) {
  auto options = std::make_shared<AuditOptions>();
  CLI::App* audit = app.add_subcommand("audit", "Verify the audit log and replay decisions");
  audit->require_subcommand(1);
  CLI::App* verify = audit->add_subcommand(
      "verify",
      "Recompute the Merkle tree from the database and check every signed checkpoint; names "
      "the first bad entry. Exit 0 when intact, 1 when tampered.");
  verify->add_option("--db", options->db, "sqlite:PATH or postgresql://...");
  verify->add_option("--signing-key", options->signing_key,
                     "The service's signing key file (its public half is used)");
  verify->add_option("--verifier-key", options->verifier_key,
                     "A verifier key (name+hash+base64), instead of the signing key file");
  verify->callback([options, exit_code] { *exit_code = run_verify(*options); });
  CLI::App* replay = audit->add_subcommand(
      "replay",
      "Re-evaluate stored decisions with the policy pack that made them; exit 1 if any "
      "comes out differently.");
  replay->add_option("--db", options->db, "sqlite:PATH or postgresql://...");
  replay->add_option("--use-case", options->use_case, "Only this use case");
  replay->callback([options, exit_code] { *exit_code = run_replay(*options); });
}

}  // namespace clearcut::cmd
