// Registered AI outputs: register and list under a production, look up by SHA-256, watermark
// payload or PDQ hash, read one, clear or reject it.

#include <charconv>

#include "clearcut/api/handlers/handlers.h"
#include "clearcut/api/json_input.h"
#include "clearcut/match/code.h"

namespace clearcut::api {
namespace {

using http::HttpResponse;
using nlohmann::json;

// A decimal uint64; false when `text` is anything else.
bool parse_payload(const std::string& text, uint64_t* out) {
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), *out);
  return ec == std::errc() && end == text.data() + text.size();
}

base::Result<domain::Asset> asset_from(const JsonInput& in, int64_t production_id) {
  domain::Asset a;
  a.production_id = production_id;
  a.use_case_id = CC_TRY(in.integer("use_case_id"));
  a.file_name = CC_TRY(in.text("file_name", false));
  a.media_type = CC_TRY(in.text("media_type", false));
  a.sha256 = CC_TRY(in.text("sha256"));
  a.pdq = CC_TRY(in.text("pdq", false));
  a.pdq_quality = static_cast<int>(CC_TRY(in.integer("pdq_quality", false)));
  a.width = static_cast<int>(CC_TRY(in.integer("width", false)));
  a.height = static_cast<int>(CC_TRY(in.integer("height", false)));
  a.duration_ms = CC_TRY(in.integer("duration_ms", false));
  a.manifest_id = CC_TRY(in.text("manifest_id", false));
  a.thumbnail = CC_TRY(in.text("thumbnail", false));
  a.audio_fingerprint = CC_TRY(in.text("audio_fingerprint", false));
  if (in.has("frame_pdq")) {
    const json& codes = in.raw("frame_pdq");
    if (!codes.is_array()) {
      return base::invalid_argument("expected an array of hex PDQ hashes").with_field("frame_pdq");
    }
    for (const json& code : codes) {
      if (!code.is_string()) {
        return base::invalid_argument("expected an array of hex PDQ hashes")
            .with_field("frame_pdq");
      }
      a.frame_pdq.push_back(code.get<std::string>());
    }
  }
  // 64-bit payloads travel as decimal strings: JSON numbers lose precision past 2^53.
  std::string payload = CC_TRY(in.text("watermark_payload", false));
  if (!payload.empty() && !parse_payload(payload, &a.watermark_payload)) {
    return base::invalid_argument("expected a decimal 64-bit number as a string")
        .with_field("watermark_payload");
  }
  return a;
}

}  // namespace

// A registration carries up to kMaxFramePdq frame hashes (237 KB), a thumbnail (64 KiB) and an
// audio fingerprint (about 580 KB an hour of sound, audio::kMaxStoredPeaks at most: 2 MB).
constexpr std::size_t kMaxAssetBodyBytes = 4 << 20;

void add_asset_routes(Router& router, const ApiDeps& deps) {
  const std::string v1(kApiPrefix);
  router.add(
      "POST", v1 + "/productions/{production}/assets", Access::kAuthenticated,
      [&deps](RequestContext& c) -> base::Result<HttpResponse> {
        JsonInput in = CC_TRY(JsonInput::parse(
            c.request, {"use_case_id", "file_name", "media_type", "sha256", "pdq", "pdq_quality",
                        "width", "height", "duration_ms", "manifest_id", "watermark_payload",
                        "thumbnail", "frame_pdq", "audio_fingerprint"}));
        domain::Asset a = CC_TRY(asset_from(in, CC_TRY(c.id("production"))));
        return ok(to_json(CC_TRY(deps.assets.register_asset(*c.actor, a))), 201);
      },
      kMaxAssetBodyBytes);
  router.add("GET", v1 + "/productions/{production}/assets", Access::kAuthenticated,
             [&deps](RequestContext& c) -> base::Result<HttpResponse> {
               int64_t after = CC_TRY(c.query_int("after", 0, 0, INT64_MAX));
               int limit = static_cast<int>(CC_TRY(c.query_int("limit", 50, 1, 1000)));
               auto items = CC_TRY(
                   deps.assets.list_assets(*c.actor, CC_TRY(c.id("production")), after, limit));
               json next = items.size() == static_cast<size_t>(limit) ? json(items.back().id)
                                                                      : json(nullptr);
               return ok({{"items", list_json(items)}, {"next_after", next}});
             });
  // Before /assets/{asset}, which would take "lookup" for an id.
  router.add("GET", v1 + "/assets/lookup", Access::kAuthenticated,
             [&deps](RequestContext& c) -> base::Result<HttpResponse> {
               clearance::AssetService::Lookup query;
               query.sha256 = c.request.query_param("sha256").value_or("");
               query.pdq = c.request.query_param("pdq").value_or("");
               query.radius =
                   static_cast<int>(CC_TRY(c.query_int("radius", match::kPdqRadius, 0, 128)));
               std::string payload = c.request.query_param("watermark_payload").value_or("");
               if (!payload.empty() && !parse_payload(payload, &query.watermark_payload)) {
                 return base::invalid_argument("expected a decimal 64-bit number")
                     .with_field("watermark_payload");
               }
               auto items = CC_TRY(deps.assets.lookup(*c.actor, query));
               return ok({{"items", list_json(items)}});
             });
  router.add("GET", v1 + "/assets/{asset}", Access::kAuthenticated,
             [&deps](RequestContext& c) -> base::Result<HttpResponse> {
               return ok(to_json(CC_TRY(deps.assets.get_asset(*c.actor, CC_TRY(c.id("asset"))))));
             });
  router.add("POST", v1 + "/assets/{asset}/status", Access::kAuthenticated,
             [&deps](RequestContext& c) -> base::Result<HttpResponse> {
               JsonInput in = CC_TRY(JsonInput::parse(c.request, {"status", "note"}));
               std::string status = CC_TRY(in.text("status"));
               std::optional<domain::AssetStatus> parsed = domain::parse_asset_status(status);
               if (!parsed || *parsed == domain::AssetStatus::kProvisional) {
                 return base::invalid_argument("expected cleared or rejected").with_field("status");
               }
               std::string note = CC_TRY(in.text("note", false));
               return ok(to_json(
                   CC_TRY(deps.assets.set_status(*c.actor, CC_TRY(c.id("asset")), *parsed, note))));
             });
}

}  // namespace clearcut::api
