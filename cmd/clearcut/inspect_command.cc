#include <cstdio>
#include <memory>
#include <optional>
#include <string>

#include "cmd/clearcut/commands.h"
#include "cmd/clearcut/http_call.h"
#include <nlohmann/json.hpp>

#include "clearcut/app/service.h"
#include "clearcut/app/stamper.h"
#include "clearcut/provenance/pdq/pdq_hash.h"

namespace clearcut::cmd {
namespace {

struct InspectCommandOptions {
  std::string file;
  bool json = false;
  std::string trust;
  app::ServiceConfig config;
  bool db_given = false;
  std::string server;
  std::string token;
  std::string watermark_key_file;
  std::string watermark_passphrase_env;
};

// PDQ calls two images the same at this distance or less (as `scan` and the match index do).
constexpr int kPdqRadius = 31;
// Below this quality PDQ itself calls a hash unusable; such hashes never match.
constexpr int kPdqMinQuality = 50;

// Picks the registered asset a file belongs to among candidates seen one at a time, in the
// REST API's JSON form (sha256, watermark_payload as a decimal string, pdq, pdq_quality): the one
// with the file's SHA-256 (the stamped copy itself), else the one whose watermark payload the
// file carries (a re-encoded copy), else the nearest PDQ hash within kPdqRadius (a copy read
// without the watermark key, or one whose mark did not survive).
class AssetMatcher {
 public:
  explicit AssetMatcher(const app::OutputInspection& seen) : seen_(seen) {
    if (!seen.pdq.empty() && seen.pdq_quality >= kPdqMinQuality) {
      auto parsed = provenance::PdqHash::from_hex(seen.pdq);
      if (parsed.has_value()) {
        pdq_ = *parsed;
      }
    }
  }

  // True once the SHA-256 matched: nothing can beat it, the caller may stop looking.
  bool offer(const nlohmann::json& asset) {
    if (asset.value("sha256", "") == seen_.sha256) {
      best_ = asset;
      best_["matched_by"] = "sha256";
      rank_ = 0;
      return true;
    }
    if (rank_ <= 1) {
      return false;
    }
    const std::string payload = asset.value("watermark_payload", "0");
    if (seen_.mark && seen_.mark->found && payload != "0" &&
        payload == std::to_string(seen_.mark->payload)) {
      best_ = asset;
      best_["matched_by"] = "watermark";
      rank_ = 1;
      return false;
    }
    if (!pdq_ || !asset.contains("pdq") || !asset["pdq"].is_string() ||
        asset.value("pdq_quality", 0) < kPdqMinQuality) {
      return false;
    }
    auto theirs = provenance::PdqHash::from_hex(asset["pdq"].get<std::string>());
    if (!theirs.has_value()) {
      return false;
    }
    const int distance = provenance::hamming_distance(*pdq_, *theirs);
    if (distance <= kPdqRadius && (rank_ == 3 || distance < pdq_distance_)) {
      best_ = asset;
      best_["matched_by"] = "pdq";
      best_["pdq_distance"] = distance;
      pdq_distance_ = distance;
      rank_ = 2;
    }
    return false;
  }

  // The match with `matched_by` (and `pdq_distance`) added, or null.
  nlohmann::json result() const { return rank_ == 3 ? nlohmann::json() : best_; }

 private:
  const app::OutputInspection& seen_;
  std::optional<provenance::PdqHash> pdq_;
  nlohmann::json best_;
  int rank_ = 3;  // 0 sha256, 1 watermark, 2 pdq, 3 none
  int pdq_distance_ = kPdqRadius + 1;
};

// An asset row in the REST API's JSON form (docs/openapi.json, Asset).
nlohmann::json asset_json(const domain::Asset& a) {
  return {{"id", a.id},
          {"production_id", a.production_id},
          {"use_case_id", a.use_case_id},
          {"status", domain::asset_status_name(a.status)},
          {"sha256", a.sha256},
          {"pdq", a.pdq.empty() ? nlohmann::json() : nlohmann::json(a.pdq)},
          {"pdq_quality", a.pdq_quality},
          {"watermark_payload", std::to_string(a.watermark_payload)},
          {"manifest_id", a.manifest_id}};
}

// What `inspect` reports of a match: the asset's identity and how it was found.
nlohmann::json registered_json(const nlohmann::json& match) {
  if (match.is_null()) {
    return nullptr;
  }
  nlohmann::json out;
  for (const char* key : {"id", "production_id", "use_case_id", "status", "sha256",
                          "watermark_payload", "manifest_id", "matched_by", "pdq_distance"}) {
    if (match.contains(key)) {
      out[key] = match[key];
    }
  }
  return out;
}

// The registration, read from the store directly (--db): inspecting is a local operator task.
base::Result<nlohmann::json> find_asset(app::Service& service, const app::OutputInspection& seen) {
  AssetMatcher matcher(seen);
  auto tx = CC_TRY(service.store().begin());
  for (const domain::Production& production : CC_TRY(tx->list_productions())) {
    int64_t after = 0;
    while (true) {
      auto page = CC_TRY(tx->list_assets(production.id, after, 500));
      for (const domain::Asset& asset : page) {
        if (matcher.offer(asset_json(asset))) {
          return registered_json(matcher.result());
        }
        after = asset.id;
      }
      if (page.size() < 500) {
        break;
      }
    }
  }
  return registered_json(matcher.result());
}

// The registration, read through the REST API (--server, --token): GET /assets/lookup returns
// the assets of the token's productions that share the SHA-256 or the watermark payload or lie
// within the PDQ radius.
base::Result<nlohmann::json> find_asset_remote(const InspectCommandOptions& options,
                                               const app::OutputInspection& seen) {
  auto get = [&](const std::string& target) -> base::Result<nlohmann::json> {
    HttpReply reply = CC_TRY(http_call(options.server, "GET", target, options.token, ""));
    if (reply.status != 200) {
      return http_error(reply, "GET " + target);
    }
    auto j = nlohmann::json::parse(reply.body, nullptr, false);
    if (!j.is_object() || !j.contains("items") || !j["items"].is_array()) {
      return base::Error(base::ErrorCode::kUnavailable,
                         "unexpected answer from " + options.server + target);
    }
    return j;
  };
  // The server narrows the registry down to candidates; the matcher ranks them as --db does.
  AssetMatcher matcher(seen);
  std::string target = "/api/v1/assets/lookup?sha256=" + seen.sha256;
  if (seen.mark && seen.mark->found) {
    target += "&watermark_payload=" + std::to_string(seen.mark->payload);
  }
  if (!seen.pdq.empty() && seen.pdq_quality >= kPdqMinQuality) {
    target += "&pdq=" + seen.pdq + "&radius=" + std::to_string(kPdqRadius);
  }
  nlohmann::json candidates = CC_TRY(get(target));
  for (const nlohmann::json& asset : candidates["items"]) {
    if (asset.is_object() && matcher.offer(asset)) {
      break;
    }
  }
  return registered_json(matcher.result());
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
      std::string how = a["matched_by"].get<std::string>();
      if (a.contains("pdq_distance")) {
        how += " (distance " + std::to_string(a["pdq_distance"].get<int>()) + ")";
      }
      std::printf("registered  asset %lld (%s), use case %lld, matched by %s\n",
                  a["id"].get<long long>(), a["status"].get<std::string>().c_str(),
                  a["use_case_id"].get<long long>(), how.c_str());
    }
  }
}

int run_inspect(const InspectCommandOptions& options) {
  if (options.db_given && !options.server.empty()) {
    return usage_error("inspect", "pass --db or --server, not both");
  }
  if (!options.server.empty() && options.token.empty()) {
    return usage_error("inspect",
                       "--server needs --token (an API token: 'clearcut admin create-token')");
  }
  std::optional<c2pa::TrustAnchors> anchors;
  if (!options.trust.empty()) {
    auto loaded = c2pa::TrustAnchors::load_pem_file(options.trust);
    if (!loaded.has_value()) {
      return fail("inspect", loaded.error());
    }
    anchors = std::move(*loaded);
  }
  auto key = app::load_watermark_key(options.watermark_key_file, options.watermark_passphrase_env);
  if (!key.has_value()) {
    return fail("inspect", key.error());
  }
  app::InspectOptions inspect;
  inspect.trust_anchors = anchors ? &*anchors : nullptr;
  inspect.watermark_key = *key ? &**key : nullptr;
  auto seen = app::inspect_output(options.file, inspect);
  if (!seen.has_value()) {
    return fail("inspect", seen.error());
  }
  nlohmann::json out = to_json(*seen);
  if (options.db_given) {
    auto service = app::Service::open(options.config);
    if (!service.has_value()) {
      return fail("inspect", service.error());
    }
    auto registered = find_asset(**service, *seen);
    if (!registered.has_value()) {
      return fail("inspect", registered.error());
    }
    out["registered"] = std::move(*registered);
  } else if (!options.server.empty()) {
    auto registered = find_asset_remote(options, *seen);
    if (!registered.has_value()) {
      return fail("inspect", registered.error());
    }
    out["registered"] = std::move(*registered);
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
  inspect->add_option("--server", options->server,
                      "Look the file up through this server's API (http://HOST:PORT)");
  inspect->add_option("--token", options->token, "API token for --server");
  inspect->add_option("--signing-key", options->config.signing_key, "Audit log signing key file");
  inspect->add_option("--watermark-key", options->watermark_key_file,
                      "Watermark key file (32 bytes or 64 hex digits)");
  inspect->add_option("--watermark-passphrase", options->watermark_passphrase_env,
                      "Name of an environment variable holding the watermark passphrase");
  inspect->footer(exit_codes_footer({{kExitOk, "the file was read (what it carries is printed)"}}));
  inspect->callback([options, exit_code] { *exit_code = run_inspect(*options); });
}

}  // namespace clearcut::cmd
