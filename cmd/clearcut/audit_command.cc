#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>

#include "cmd/clearcut/commands.h"
#include <nlohmann/json.hpp>

#include "clearcut/app/policy_source.h"
#include "clearcut/app/service.h"
#include "clearcut/audit/audit_log_verifier.h"
#include "clearcut/audit/note.h"
#include "clearcut/audit/note_verifier.h"
#include "clearcut/base/file.h"
#include "clearcut/base/hex.h"
#include "clearcut/clearance/approval_certificate.h"
#include "clearcut/clearance/approval_certificate_pdf.h"
#include "clearcut/clearance/checkpoint_file.h"
#include "clearcut/clearance/state_replay.h"
#include "clearcut/domain/declaration_reader.h"
#include "clearcut/policy/decision_view.h"
#include "clearcut/policy/engine.h"
#include "clearcut/store/store.h"

namespace clearcut::cmd {
namespace {

struct AuditOptions {
  std::string db = "sqlite:clearcut.db";
  std::string signing_key;
  std::vector<std::string> verifier_keys;
  std::string keys_file;
  std::string checkpoint_file;
  std::vector<std::string> witnesses;
  std::string out;
  std::string origin = "clearcut.local/audit";
  bool generate = false;
  int64_t use_case = 0;
  std::string certificate;
};

std::string chomp(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) {
    text.pop_back();
  }
  return text;
}

// The keys that may have signed the log: --key (repeated), the lines of --keys, else the
// public half of the signing key file.
base::Result<std::vector<audit::NoteVerifier>> verifiers_for(const AuditOptions& options) {
  std::vector<audit::NoteVerifier> verifiers;
  for (const std::string& key : options.verifier_keys) {
    auto verifier = audit::NoteVerifier::parse(chomp(key));
    if (!verifier.has_value()) {
      return std::move(verifier).error().with_context("--key " + key);
    }
    verifiers.push_back(*verifier);
  }
  if (!options.keys_file.empty()) {
    std::string text = CC_TRY(base::read_file(options.keys_file));
    int line_number = 0;
    for (size_t start = 0; start < text.size();) {
      size_t end = text.find('\n', start);
      std::string line = chomp(text.substr(start, end == std::string::npos ? end : end - start));
      start = end == std::string::npos ? text.size() : end + 1;
      ++line_number;
      if (line.empty() || line[0] == '#') {
        continue;
      }
      auto verifier = audit::NoteVerifier::parse(line);
      if (!verifier.has_value()) {
        return std::move(verifier).error().with_location({options.keys_file, line_number, 1});
      }
      verifiers.push_back(*verifier);
    }
  }
  if (!verifiers.empty()) {
    return verifiers;
  }
  std::string path = options.signing_key.empty()
                         ? app::default_audit_path(options.db, "clearcut-audit.key")
                         : options.signing_key;
  audit::NoteSigner signer = CC_TRY(app::load_signing_key(path));
  verifiers.push_back(signer.verifier());
  return verifiers;
}

// The checkpoint copies kept outside the database: (name, note) of every line of the
// checkpoint file (the default one only when it exists) and of each witness file.
base::Result<std::vector<std::pair<std::string, std::string>>> external_checkpoints(
    const AuditOptions& options, bool* file_checked) {
  std::vector<std::pair<std::string, std::string>> out;
  std::vector<std::string> files;
  *file_checked = false;
  if (options.checkpoint_file != "none") {
    std::string key = options.signing_key.empty()
                          ? app::default_audit_path(options.db, "clearcut-audit.key")
                          : options.signing_key;
    std::string path = options.checkpoint_file.empty()
                           ? app::default_checkpoint_path(options.db, key)
                           : options.checkpoint_file;
    if (!options.checkpoint_file.empty() || std::filesystem::exists(path)) {
      files.push_back(path);
      *file_checked = true;
    }
  }
  files.insert(files.end(), options.witnesses.begin(), options.witnesses.end());
  for (const std::string& file : files) {
    for (const clearance::CheckpointFileEntry& entry :
         CC_TRY(clearance::read_checkpoint_file(file))) {
      out.emplace_back(file + ":" + std::to_string(entry.line), entry.note);
    }
  }
  return out;
}

int run_verify(const AuditOptions& options) {
  // The database first: without it, a missing key beside it is not the news.
  auto store = store::open_store(options.db, store::OpenMode::kExisting);
  if (!store.has_value()) {
    return fail("audit verify", store.error());
  }
  auto verifiers = verifiers_for(options);
  if (!verifiers.has_value()) {
    return fail("audit verify", verifiers.error());
  }
  bool file_checked = false;
  auto external = external_checkpoints(options, &file_checked);
  if (!external.has_value()) {
    return fail("audit verify", external.error());
  }
  auto tx = (*store)->begin();
  if (!tx.has_value()) {
    return fail("audit verify", tx.error());
  }
  std::vector<audit::AuditEvent> events;
  std::vector<audit::Hash> leaf_hashes;
  bool leaf_hashes_ok = true;
  for (uint64_t from = 0;;) {
    auto page = (*tx)->audit().list(from, 10000);
    if (!page.has_value()) {
      return fail("audit verify", page.error());
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
  auto checkpoints = (*tx)->audit().list_checkpoints();
  if (!checkpoints.has_value()) {
    return fail("audit verify", checkpoints.error());
  }
  std::vector<std::string> notes;
  std::vector<std::string> names;
  for (const auto& c : *checkpoints) {
    notes.push_back(c.note);
    names.push_back("checkpoint " + std::to_string(names.size()) + " (database)");
  }
  audit::VerifyLogOptions verify_options;
  verify_options.database_checkpoints = notes.size();
  for (const auto& [name, note] : *external) {
    notes.push_back(note);
    names.push_back("checkpoint at " + name);
  }
  verify_options.checkpoint_names = names;
  if (leaf_hashes_ok) {
    verify_options.stored_leaf_hashes = leaf_hashes;
  }
  auto result = audit::verify_log(events, notes, *verifiers, verify_options);
  if (!result.has_value()) {
    return fail("audit verify", result.error());
  }
  // The tables against the events, replayed in sequence order.
  std::vector<audit::AuditEvent> in_order = events;
  std::stable_sort(in_order.begin(), in_order.end(),
                   [](const audit::AuditEvent& a, const audit::AuditEvent& b) {
                     return a.sequence < b.sequence;
                   });
  auto differences = clearance::compare_state_with_events(in_order, **tx);
  if (!differences.has_value()) {
    return fail("audit verify", differences.error());
  }
  if (result->ok() && differences->empty()) {
    std::printf(
        "audit log OK: %llu events, %zu signed checkpoints, %llu events covered by the "
        "latest checkpoint; %zu checkpoints kept outside the database%s; every table matches "
        "the events\n",
        static_cast<unsigned long long>(result->event_count), result->valid_checkpoints,
        static_cast<unsigned long long>(result->verified_size), external->size(),
        file_checked ? "" : " (no checkpoint file found: deleted checkpoints go unnoticed)");
    return 0;
  }
  for (const audit::TamperFinding& f : result->findings) {
    std::printf("TAMPERED (%s)%s: %s\n", std::string(audit::tamper_kind_name(f.kind)).c_str(),
                f.first_sequence ? (" at entry " + std::to_string(*f.first_sequence)).c_str() : "",
                f.message.c_str());
  }
  for (const clearance::StateDifference& d : *differences) {
    std::printf("TAMPERED (state): %s\n", d.to_string().c_str());
  }
  const audit::TamperFinding* first = result->first();
  if (first != nullptr) {
    std::printf("audit log FAILED: first bad entry %s\n",
                first->first_sequence ? std::to_string(*first->first_sequence).c_str() : "(none)");
  } else {
    std::printf("audit log FAILED: %zu differences between the tables and the audit log\n",
                differences->size());
  }
  return kExitNo;
}

// An approval certificate checked offline: no database, only the file and the log's key.
int run_verify_certificate(const AuditOptions& options) {
  constexpr std::string_view kCommand = "audit verify-certificate";
  auto verifiers = verifiers_for(options);
  if (!verifiers.has_value()) {
    return fail(kCommand, verifiers.error());
  }
  auto text = base::read_file(options.certificate, clearance::kMaxCertificatePdfBytes);
  if (!text.has_value()) {
    return fail(kCommand, text.error());
  }
  // The JSON file, or the PDF that carries it (and must be, byte for byte, what it renders to).
  auto certificate = clearance::looks_like_pdf(*text)
                         ? clearance::read_approval_certificate_pdf(*text)
                         : clearance::read_approval_certificate(*text);
  base::Result<audit::Checkpoint> verified =
      certificate.has_value() ? clearance::verify_approval_certificate(*certificate, *verifiers)
                              : base::Result<audit::Checkpoint>(certificate.error());
  if (!verified.has_value()) {
    std::printf("certificate FAILED: %s\n", verified.error().message().c_str());
    return kExitNo;
  }
  auto approval = nlohmann::json::parse(certificate->event.payload_json);
  std::printf(
      "certificate OK: approval %s of use case %lld, signed by \"%s\" at %s; declaration "
      "%s; audit event %llu is in the %llu events of %s's signed checkpoint\n",
      certificate->event.subject_id.c_str(),
      static_cast<long long>(approval.value("use_case_id", int64_t{0})),
      approval.value("signer_name", "").c_str(), approval.value("created_at", "").c_str(),
      approval.value("declaration_digest", "").c_str(),
      static_cast<unsigned long long>(certificate->event.sequence),
      static_cast<unsigned long long>(certificate->tree_size), verified->origin.c_str());
  return kExitOk;
}

int run_key(const AuditOptions& options) {
  if (options.signing_key.empty()) {
    return fail("audit key", base::invalid_argument("give the key file").with_field("--key"));
  }
  if (options.generate) {
    if (std::filesystem::exists(options.signing_key)) {
      return fail("audit key", base::Error(base::ErrorCode::kAlreadyExists,
                                           "will not overwrite an existing signing key")
                                   .with_location({options.signing_key, 0, 0}));
    }
    auto created = app::load_or_create_signing_key(options.signing_key, options.origin);
    if (!created.has_value()) {
      return fail("audit key", created.error());
    }
  }
  auto signer = app::load_signing_key(options.signing_key);
  if (!signer.has_value()) {
    return fail("audit key", signer.error());
  }
  std::printf("%s\n", signer->verifier().to_string().c_str());
  return 0;
}

int run_export(const AuditOptions& options) {
  auto store = store::open_store(options.db, store::OpenMode::kExisting);
  if (!store.has_value()) {
    return fail("audit export-checkpoints", store.error());
  }
  auto tx = (*store)->begin();
  if (!tx.has_value()) {
    return fail("audit export-checkpoints", tx.error());
  }
  auto checkpoints = (*tx)->audit().list_checkpoints();
  if (!checkpoints.has_value()) {
    return fail("audit export-checkpoints", checkpoints.error());
  }
  uint64_t have = 0;
  bool any = false;
  if (!options.out.empty() && std::filesystem::exists(options.out)) {
    auto entries = clearance::read_checkpoint_file(options.out);
    if (!entries.has_value()) {
      return fail("audit export-checkpoints", entries.error());
    }
    for (const auto& e : *entries) {
      have = std::max(have, e.tree_size);
      any = true;
    }
  }
  size_t written = 0;
  for (const store::CheckpointRecord& c : *checkpoints) {
    if (any && c.tree_size <= have) {
      continue;
    }
    auto note = audit::parse_note(c.note);
    std::string key_id;
    if (note.has_value() && !note->signatures.empty()) {
      char hex[9];
      std::snprintf(hex, sizeof(hex), "%08x", note->signatures.front().key_id);
      key_id = hex;
    }
    clearance::CheckpointFileEntry entry{0, c.tree_size, key_id, c.created_at, c.note};
    if (options.out.empty()) {
      nlohmann::json json = {{"tree_size", entry.tree_size},
                             {"key_id", entry.key_id},
                             {"created_at", entry.created_at},
                             {"note", entry.note}};
      std::printf("%s\n", json.dump().c_str());
    } else if (auto status = clearance::append_checkpoint_file(options.out, entry);
               !status.has_value()) {
      return fail("audit export-checkpoints", status.error());
    }
    ++written;
  }
  if (!options.out.empty()) {
    std::printf("exported %zu checkpoints to %s\n", written, options.out.c_str());
  }
  return 0;
}

int run_replay(const AuditOptions& options) {
  auto store = store::open_store(options.db, store::OpenMode::kExisting);
  if (!store.has_value()) {
    return fail("audit replay", store.error());
  }
  auto tx = (*store)->begin();
  if (!tx.has_value()) {
    return fail("audit replay", tx.error());
  }
  auto packs = (*tx)->policy().list_policy_packs();
  if (!packs.has_value()) {
    return fail("audit replay", packs.error());
  }
  std::map<std::string, std::shared_ptr<const policy::Engine>> engines;
  int same = 0;
  int differ = 0;
  store::UseCaseFilter filter;
  filter.limit = 500;
  for (;;) {
    auto page = (*tx)->use_cases().list(filter);
    if (!page.has_value()) {
      return fail("audit replay", page.error());
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
          auto record = (*tx)->policy().get_policy_pack(p.id);
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
  return differ == 0 ? kExitOk : kExitNo;
}

// The keys both verifiers check signatures with (verify and verify-certificate read them the
// same way).
void add_key_options(CLI::App* command, AuditOptions* options) {
  command->add_option("--key,--verifier-key", options->verifier_keys,
                      "A verifier key (name+hex key id+base64, as `clearcut audit key` prints); "
                      "repeat it for every key the log was signed with since a rotation");
  command->add_option("--keys", options->keys_file,
                      "A file of verifier keys, one per line (# starts a comment)");
  command->add_option("--signing-key", options->signing_key,
                      "When no --key or --keys is given: the service's signing key file, whose "
                      "public half is used (default: clearcut-audit.key beside the database)");
}

}  // namespace

void add_audit_command(CLI::App& app, int* exit_code) {
  auto options = std::make_shared<AuditOptions>();
  CLI::App* audit = app.add_subcommand("audit",
                                       "Verify the audit log and the tables against it, export "
                                       "checkpoints, print keys, replay decisions");
  audit->require_subcommand(1);
  CLI::App* verify = audit->add_subcommand(
      "verify",
      "Check the database against the audit log and the log against its signed checkpoints. "
      "Recomputes the Merkle tree from the events and checks every signed checkpoint in the "
      "database, in the checkpoint file (default: clearcut-audit.checkpoints beside the "
      "database, when it exists) and in each --witness copy: a checkpoint larger than the log "
      "means truncation, a different root an edit, a copy missing from the database deleted "
      "checkpoints. Then replays the events to rebuild every table they describe (use cases, "
      "approvals, consents, assets, attachments, memberships, users, tokens, tools, policy "
      "packs, scan jobs, ...) and names each row and column that differs");
  verify->add_option("--db", options->db, "sqlite:PATH or postgresql://...");
  add_key_options(verify, options.get());
  verify->add_option("--checkpoints", options->checkpoint_file,
                     "The service's checkpoint file (\"none\": do not read it)");
  verify->add_option("--witness", options->witnesses,
                     "A copy of the checkpoint file kept elsewhere (repeatable): every "
                     "checkpoint in it must match the database");
  verify->footer(
      exit_codes_footer({{kExitOk, "intact"},
                         {kExitNo, "tampered: each finding is listed (treat it as an incident)"}}));
  verify->callback([options, exit_code] { *exit_code = run_verify(*options); });
  CLI::App* verify_certificate = audit->add_subcommand(
      "verify-certificate",
      "Check an approval certificate (GET /api/v1/approvals/{id}/certificate, or "
      "/certificate.pdf) offline: the "
      "checkpoint in it is signed by the log's key, the inclusion proof leads from the "
      "approval's audit event to that checkpoint's root, and the approval it shows (declaration "
      "and its digest, decision, checklist, approver, scope, conditions, expiry) is that "
      "event's payload; a byte changed anywhere fails");
  verify_certificate
      ->add_option("file", options->certificate,
                   "The certificate: its JSON file, or the PDF that carries it")
      ->required();
  add_key_options(verify_certificate, options.get());
  verify_certificate->add_option("--db", options->db,
                                 "Only locates the default signing key; never opened");
  verify_certificate->footer(
      exit_codes_footer({{kExitOk, "the certificate verifies"},
                         {kExitNo,
                          "it does not: changed, for another log, or signed by another key (why is "
                          "printed)"}}));
  verify_certificate->callback(
      [options, exit_code] { *exit_code = run_verify_certificate(*options); });
  CLI::App* key = audit->add_subcommand(
      "key",
      "Print the verifier key (C2SP note verifier key: name+hex key id+base64 public key) of "
      "a signing key file, to give to `audit verify --key`; --generate creates the key (mode "
      "0600) first, e.g. to rotate keys or to replace a lost one");
  key->add_option("--key", options->signing_key, "The signing key file")->required();
  key->add_flag("--generate", options->generate,
                "Create a new signing key at --key (refused when the file exists)");
  key->add_option("--origin", options->origin,
                  "The log's name for a new key: the same as `serve --audit-origin` (default "
                  "clearcut.local/audit)");
  key->footer(exit_codes_footer({{kExitOk, "the verifier key is printed"}}));
  key->callback([options, exit_code] { *exit_code = run_key(*options); });
  CLI::App* export_checkpoints = audit->add_subcommand(
      "export-checkpoints",
      "Write the database's signed checkpoints as checkpoint-file lines (to stdout, or "
      "appended to --out when newer than what it holds), for a witness copy kept elsewhere "
      "and checked with `audit verify --witness`");
  export_checkpoints->add_option("--db", options->db, "sqlite:PATH or postgresql://...");
  export_checkpoints->add_option("--out", options->out, "Append to this file");
  export_checkpoints->footer(exit_codes_footer({{kExitOk, "exported"}}));
  export_checkpoints->callback([options, exit_code] { *exit_code = run_export(*options); });
  CLI::App* replay = audit->add_subcommand(
      "replay", "Re-evaluate stored decisions with the policy pack that made them");
  replay->add_option("--db", options->db, "sqlite:PATH or postgresql://...");
  replay->add_option("--use-case", options->use_case, "Only this use case");
  replay->footer(exit_codes_footer({{kExitOk, "every decision comes out the same"},
                                    {kExitNo,
                                     "a decision comes out differently or cannot be "
                                     "replayed"}}));
  replay->callback([options, exit_code] { *exit_code = run_replay(*options); });
}

}  // namespace clearcut::cmd
