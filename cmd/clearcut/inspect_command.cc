#include <cstdio>
#include <memory>
#include <optional>
#include <string>

#include "cmd/clearcut/commands.h"
#include <nlohmann/json.hpp>

#include "clearcut/app/service.h"
#include "clearcut/app/stamper.h"

namespace clearcut::cmd {
namespace {

struct InspectCommandOptions {
  std::string file;
  bool json = false;
  std::string trust;
  app::ServiceConfig config;
  bool db_given = false;
  std::string watermark_key_file;
  std::string watermark_passphrase_env;
};

int fail(const base::Error& error) {
  std::fprintf(stderr, "clearcut inspect: %s\n", error.to_string().c_str());
  return error.code() == base::ErrorCode::kInternal || error.code() == base::ErrorCode::kUnavailable
             ? 1
             : kExitInvalidInput;
}

// The registered asset with this file's SHA-256, else the one whose watermark payload the file
// carries (a re-encoded copy). Reads the store directly: inspecting is a local operator task.
base::Result<std::optional<domain::Asset>> find_asset(app::Service& service,
                                                      const app::OutputInspection& seen) {
  auto tx = CC_TRY(service.store().begin());
  std::optional<domain::Asset> by_payload;
  for (const domain::Production& production : CC_TRY(tx->list_productions())) {
    int64_t after = 0;
    while (true) {
      auto page = CC_TRY(tx->list_assets(production.id, after, 500));
      for (const domain::Asset& asset : page) {
        if (asset.sha256 == seen.sha256) {
          return std::optional(asset);
        }
        if (!by_payload && seen.mark && seen.mark->found && asset.watermark_payload != 0 &&
            asset.watermark_payload == seen.mark->payload) {
          by_payload = asset;
        }
        after = asset.id;
      }
      if (page.size() < 500) {
        break;
      }
    }
  }
  return by_payload;
}

nlohmann::json to_json(const app::OutputInspection& seen) {
  const c2pa::C2paReport& r = seen.c2pa;
  nlohmann::json c2pa = {
      {"verdict", c2pa::verdict_name(r.verdict)},
      {"active_manifest", r.active_manifest},
      {"integrity", {{"intact", r.integrity.intact}, {"failures", nlohmann::json::array()}}},
      {"trust", {{"trusted", r.trust.trusted}, {"failures", nlohmann::json::array()}}},
      {"ai_disclosure",
       {{"generative_ai", r.ai.generative_ai()},
        {"synthetic", r.ai.synthetic()},
        {"source_types", r.ai.terms()}}},
      {"failure_codes", r.failure_codes()}};
  if (!r.has_manifest()) {
    c2pa["no_manifest_reason"] = c2pa::no_manifest_reason_name(r.no_manifest_reason);
  }
  for (const auto& status : r.integrity.failures) {
    c2pa["integrity"]["failures"].push_back(status.code);
  }
  for (const auto& status : r.trust.failures) {
    c2pa["trust"]["failures"].push_back(status.code);
  }
  if (!r.trust.signers.empty() && !r.trust.signers.front().untrusted_reason.empty()) {
    c2pa["trust"]["untrusted_reason"] = r.trust.signers.front().untrusted_reason;
  }
  nlohmann::json out = {
      {"media_type", seen.media_type},
      {"sha256", seen.sha256},
      {"pdq", seen.pdq.empty() ? nlohmann::json() : nlohmann::json(seen.pdq)},
      {"pdq_quality", seen.pdq_quality},
      {"width", seen.width},
      {"height", seen.height},
      {"duration_ms", seen.duration_ms},
      {"c2pa", c2pa},
      {"xmp_digital_source_type", seen.xmp.digital_source_type
                                      ? nlohmann::json(*seen.xmp.digital_source_type)
                                      : nlohmann::json()}};
  if (!seen.mark) {
    out["watermark"] = {{"checked", false}};
  } else {
    out["watermark"] = {{"checked", true}, {"found", seen.mark->found}};
    if (seen.mark->found) {
      out["watermark"]["payload"] = std::to_string(seen.mark->payload);
      out["watermark"]["confidence"] = seen.mark->confidence;
    }
  }
  return out;
}

void print_text(const nlohmann::json& j) {
  const nlohmann::json& c = j["c2pa"];
  std::printf("media       %s %dx%d\n", j["media_type"].get<std::string>().c_str(),
              j["width"].get<int>(), j["height"].get<int>());
  std::printf("sha256      %s\n", j["sha256"].get<std::string>().c_str());
  std::printf("pdq         %s\n", j["pdq"].is_null() ? "-" : j["pdq"].get<std::string>().c_str());
  std::printf("c2pa        %s\n", c["verdict"].get<std::string>().c_str());
  std::printf("  integrity %s\n", c["integrity"]["intact"].get<bool>() ? "intact" : "broken");
  std::printf("  trust     %s\n", c["trust"]["trusted"].get<bool>() ? "trusted" : "not trusted");
  std::printf("  ai        %s\n", c["ai_disclosure"]["source_types"].dump().c_str());
  std::printf("xmp         %s\n", j["xmp_digital_source_type"].is_null()
                                      ? "-"
                                      : j["xmp_digital_source_type"].get<std::string>().c_str());
  const nlohmann::json& w = j["watermark"];
  std::printf("watermark   %s\n", !w["checked"].get<bool>() ? "not checked (no --watermark-key)"
                                  : w["found"].get<bool>() ? w["payload"].get<std::string>().c_str()
                                                           : "no mark");
  if (j.contains("registered")) {
    const nlohmann::json& a = j["registered"];
    if (a.is_null()) {
      std::printf("registered  no\n");
    } else {
      std::printf("registered  asset %lld (%s), use case %lld, matched by %s\n",
                  a["id"].get<long long>(), a["status"].get<std::string>().c_str(),
                  a["use_case_id"].get<long long>(), a["matched_by"].get<std::string>().c_str());
    }
  }
}

int run_inspect(const InspectCommandOptions& options) {
  std::optional<c2pa::TrustAnchors> anchors;
  if (!options.trust.empty()) {
    auto loaded = c2pa::TrustAnchors::load_pem_file(options.trust);
    if (!loaded.has_value()) {
      return fail(loaded.error());
    }
    anchors = std::move(*loaded);
  }
  auto key = app::load_watermark_key(options.watermark_key_file, options.watermark_passphrase_env);
  if (!key.has_value()) {
    return fail(key.error());
  }
  app::InspectOptions inspect;
  inspect.trust_anchors = anchors ? &*anchors : nullptr;
  inspect.watermark_key = *key ? &**key : nullptr;
  auto seen = app::inspect_output(options.file, inspect);
  if (!seen.has_value()) {
    return fail(seen.error());
  }
  nlohmann::json out = to_json(*seen);
  if (options.db_given) {
    auto service = app::Service::open(options.config);
    if (!service.has_value()) {
      return fail(service.error());
    }
    auto asset = find_asset(**service, *seen);
    if (!asset.has_value()) {
      return fail(asset.error());
    }
    if (!*asset) {
      out["registered"] = nullptr;
    } else {
      const domain::Asset& a = **asset;
      out["registered"] = {{"id", a.id},
                           {"production_id", a.production_id},
                           {"use_case_id", a.use_case_id},
                           {"status", domain::asset_status_name(a.status)},
                           {"sha256", a.sha256},
                           {"watermark_payload", std::to_string(a.watermark_payload)},
                           {"manifest_id", a.manifest_id},
                           {"matched_by", a.sha256 == seen->sha256 ? "sha256" : "watermark"}};
    }
  }
  if (options.json) {
    std::printf("%s\n", out.dump(2).c_str());
  } else {
    print_text(out);
  }
  return 0;
}

}  // namespace

void add_inspect_command(CLI::App& app, int* exit_code) {
  auto options = std::make_shared<InspectCommandOptions>();
  CLI::App* inspect = app.add_subcommand(
      "inspect", "Show a file's Content Credentials, XMP label, watermark, hashes, registration");
  inspect->add_option("file", options->file, "JPEG, PNG or MP4")->required();
  inspect->add_flag("--json", options->json, "Print JSON");
  inspect->add_option("--trust", options->trust, "Trust anchors (PEM) for the signer chain");
  inspect->add_option("--db", options->config.db, "Look the file up in this registry")
      ->each([options](const std::string&) { options->db_given = true; });
  inspect->add_option("--signing-key", options->config.signing_key, "Audit log signing key file");
  inspect->add_option("--watermark-key", options->watermark_key_file,
                      "Watermark key file (32 bytes or 64 hex digits)");
  inspect->add_option("--watermark-passphrase", options->watermark_passphrase_env,
                      "Name of an environment variable holding the watermark passphrase");
  inspect->callback([options, exit_code] { *exit_code = run_inspect(*options); });
}

}  // namespace clearcut::cmd
