#include <charconv>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>

#include "cmd/clearcut/commands.h"
#include "cmd/clearcut/http_call.h"
#include <nlohmann/json.hpp>

#include "clearcut/api/json_views.h"
#include "clearcut/app/service.h"
#include "clearcut/match/code.h"
#include "clearcut/provenance/watermark/watermark_detector.h"
#include "clearcut/stamp/asset_matcher.h"
#include "clearcut/stamp/stamper.h"

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

// What the matcher compares of an asset in the REST API's JSON form (sha256, watermark_payload
// as a decimal string, pdq, pdq_quality).
stamp::AssetFingerprint fingerprint_of(const nlohmann::json& asset) {
  stamp::AssetFingerprint out;
  out.sha256 = asset.value("sha256", "");
  const std::string payload = asset.value("watermark_payload", "0");
  auto [end, ec] =
      std::from_chars(payload.data(), payload.data() + payload.size(), out.watermark_payload);
  if (ec != std::errc() || end != payload.data() + payload.size()) {
    out.watermark_payload = 0;
  }
  if (asset.contains("pdq") && asset["pdq"].is_string()) {
    out.pdq = asset["pdq"].get<std::string>();
  }
  out.pdq_quality = asset.value("pdq_quality", 0);
  return out;
}

// What `inspect` reports of a match: the asset's identity and how it was found.
nlohmann::json registered_json(const nlohmann::json& asset,
                               const std::optional<stamp::AssetMatch>& match) {
  if (!match) {
    return nullptr;
  }
  nlohmann::json out;
  for (const char* key : {"id", "production_id", "use_case_id", "status", "sha256",
                          "watermark_payload", "manifest_id"}) {
    if (asset.contains(key)) {
      out[key] = asset[key];
    }
  }
  out["matched_by"] = std::string(stamp::matched_by_name(match->by));
  if (match->by == stamp::MatchedBy::kPdq) {
    out["pdq_distance"] = match->pdq_distance;
  }
  return out;
}

// The registration, read from the store directly (--db): inspecting is a local operator task.
base::Result<nlohmann::json> find_asset(app::Service& service,
                                        const stamp::OutputInspection& seen) {
  stamp::AssetMatcher matcher(seen);
  nlohmann::json best;
  auto tx = CC_TRY(service.store().begin());
  for (const domain::Production& production : CC_TRY(tx->accounts().list_productions())) {
    int64_t after = 0;
    while (true) {
      auto page = CC_TRY(tx->assets().list(production.id, after, 500));
      for (const domain::Asset& asset : page) {
        if (matcher.offer({asset.sha256, asset.watermark_payload, asset.pdq, asset.pdq_quality})) {
          best = api::to_json(asset);
        }
        if (matcher.settled()) {
          return registered_json(best, matcher.best());
        }
        after = asset.id;
      }
      if (page.size() < 500) {
        break;
      }
    }
  }
  return registered_json(best, matcher.best());
}

// The registration, read through the REST API (--server, --token): GET /assets/lookup returns
// the assets of the token's productions that share the SHA-256 or the watermark payload or lie
// within the PDQ radius.
base::Result<nlohmann::json> find_asset_remote(const InspectCommandOptions& options,
                                               const stamp::OutputInspection& seen) {
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
  stamp::AssetMatcher matcher(seen);
  nlohmann::json best;
  std::string target = "/api/v1/assets/lookup?sha256=" + seen.sha256;
  if (seen.mark && seen.mark->found) {
    target += "&watermark_payload=" + std::to_string(seen.mark->payload);
  }
  if (!seen.pdq.empty() && seen.pdq_quality >= match::kPdqMinQuality) {
    target += "&pdq=" + seen.pdq + "&radius=" + std::to_string(match::kPdqRadius);
  }
  nlohmann::json candidates = CC_TRY(get(target));
  for (const nlohmann::json& asset : candidates["items"]) {
    if (!asset.is_object()) {
      continue;
    }
    if (matcher.offer(fingerprint_of(asset))) {
      best = asset;
    }
    if (matcher.settled()) {
      break;
    }
  }
  return registered_json(best, matcher.best());
}

// Why a file's watermark was not read: no key was given, or the file is too small to carry one.
std::string unchecked_reason(const stamp::OutputInspection& seen, bool key_given) {
  if (!key_given) {
    return "no --watermark-key";
  }
  if (seen.media_type.starts_with("audio/")) {
    return "under 1 s of sound";
  }
  return "the picture is under " + std::to_string(watermark::kMinDetectSide) + " pixels a side";
}

nlohmann::json to_json(const stamp::OutputInspection& seen, bool key_given) {
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
      {"frame_pdq", seen.frame_pdq},
      {"width", seen.width},
      {"height", seen.height},
      {"duration_ms", seen.duration_ms},
      {"c2pa", c2pa},
      {"xmp_digital_source_type", seen.xmp.digital_source_type
                                      ? nlohmann::json(*seen.xmp.digital_source_type)
                                      : nlohmann::json()}};
  if (!seen.mark) {
    out["watermark"] = {{"checked", false}, {"reason", unchecked_reason(seen, key_given)}};
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
  // Without a manifest there is nothing whose integrity or signer could be judged.
  if (c["verdict"].get<std::string>() != c2pa::verdict_name(c2pa::Verdict::kNoManifest)) {
    std::printf("  integrity %s\n", c["integrity"]["intact"].get<bool>() ? "intact" : "broken");
    std::printf("  trust     %s\n", c["trust"]["trusted"].get<bool>() ? "trusted" : "not trusted");
    std::printf("  ai        %s\n", c["ai_disclosure"]["source_types"].dump().c_str());
  }
  std::printf("xmp         %s\n", j["xmp_digital_source_type"].is_null()
                                      ? "-"
                                      : j["xmp_digital_source_type"].get<std::string>().c_str());
  const nlohmann::json& w = j["watermark"];
  const std::string unchecked =
      w.contains("reason") ? "not checked (" + w["reason"].get<std::string>() + ")" : "";
  std::printf("watermark   %s\n", !w["checked"].get<bool>() ? unchecked.c_str()
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
  auto key =
      stamp::load_watermark_key(options.watermark_key_file, options.watermark_passphrase_env);
  if (!key.has_value()) {
    return fail("inspect", key.error());
  }
  stamp::InspectOptions inspect;
  inspect.trust_anchors = anchors ? &*anchors : nullptr;
  inspect.watermark_key = *key ? &**key : nullptr;
  auto seen = stamp::inspect_output(options.file, inspect);
  if (!seen.has_value()) {
    return fail("inspect", seen.error());
  }
  nlohmann::json out = to_json(*seen, inspect.watermark_key != nullptr);
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
  inspect->add_option("file", options->file, "JPEG, PNG, MP4, M4A or WAV")->required();
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
