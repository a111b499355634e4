#include "clearcut/clearance/asset_service.h"

#include <algorithm>
#include <optional>
#include <span>

#include <nlohmann/json.hpp>

#include "clearcut/audio/fingerprint_codec.h"
#include "clearcut/base/hex.h"
#include "clearcut/clearance/audit_payloads.h"
#include "clearcut/domain/validation.h"
#include "clearcut/match/code.h"

namespace clearcut::clearance {
namespace {

base::Error hidden(int64_t id) {
  return base::not_found("no asset " + std::to_string(id));
}

nlohmann::json asset_payload(const domain::Asset& a) {
  return {{"use_case_id", a.use_case_id},
          {"sha256", a.sha256},
          {"pdq", a.pdq},
          {"manifest_id", a.manifest_id},
          {"watermark_payload", std::to_string(a.watermark_payload)},
          {"status", domain::asset_status_name(a.status)},
          // Enough to rebuild the assets row (`audit verify`); earlier events carry less.
          {"production_id", a.production_id},
          {"file_name", a.file_name},
          {"media_type", a.media_type},
          {"width", a.width},
          {"height", a.height},
          {"duration_ms", a.duration_ms},
          {"pdq_quality", a.pdq_quality},
          {"created_at", a.created_at},
          {"frame_pdq_sha256", frame_pdq_digest(a)},
          {"audio_fingerprint_sha256", audio_fingerprint_digest(a)}};
}

bool is_hex(const std::string& text, size_t length) {
  return text.size() == length && text.find_first_not_of("0123456789abcdef") == std::string::npos;
}

// The match code of a 64-digit hex PDQ hash (its text form's byte order); nullopt when `hex`
// is not one.
std::optional<match::Code> pdq_code(const std::string& hex) {
  if (!is_hex(hex, 64)) {
    return std::nullopt;
  }
  std::vector<uint8_t> bytes = *base::from_hex(hex);
  return match::code_from_bytes(std::span<const uint8_t, 32>(bytes.data(), 32));
}

}  // namespace

bool approval_clears(const domain::Approval& approval, const domain::Asset& asset,
                     std::chrono::system_clock::time_point now) {
  if (!approval.granted || approval.outdated) {
    return false;
  }
  if (!approval.expires_at.empty()) {
    // A stored expiry that is not a time (the database is external input) clears nothing.
    auto expiry = domain::parse_rfc3339_utc(approval.expires_at);
    if (!expiry || *expiry <= now) {
      return false;
    }
  }
  return approval.scope.clears_output(asset.id);
}

base::Result<domain::Asset> AssetService::register_asset(const Actor& actor, domain::Asset asset) {
  if (!actor.has_role(asset.production_id, domain::Role::kPartner)) {
    return actor.member_of(asset.production_id) || actor.admin()
               ? base::Result<domain::Asset>(base::Error(base::ErrorCode::kPermissionDenied,
                                                         "only a partner registers outputs"))
               : base::Result<domain::Asset>(
                     base::not_found("no production " + std::to_string(asset.production_id)));
  }
  if (!is_hex(asset.sha256, 64)) {
    return base::invalid_argument("expected 64 lower-case hex digits").with_field("sha256");
  }
  if (!asset.pdq.empty() && !is_hex(asset.pdq, 64)) {
    return base::invalid_argument("expected 64 lower-case hex digits or nothing").with_field("pdq");
  }
  if (asset.frame_pdq.size() > domain::kMaxFramePdq) {
    return base::invalid_argument("at most " + std::to_string(domain::kMaxFramePdq) +
                                  " frame hashes")
        .with_field("frame_pdq");
  }
  for (size_t i = 0; i < asset.frame_pdq.size(); ++i) {
    if (!is_hex(asset.frame_pdq[i], 64)) {
      return base::invalid_argument("expected 64 lower-case hex digits")
          .with_field("frame_pdq[" + std::to_string(i) + "]");
    }
  }
  if (!asset.audio_fingerprint.empty()) {
    CC_TRY(audio::decode_fingerprint(asset.audio_fingerprint));
  }
  constexpr size_t kMaxThumbnail = 64 * 1024;
  if (asset.thumbnail.size() > kMaxThumbnail || asset.thumbnail.size() % 4 != 0 ||
      asset.thumbnail.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                        "0123456789+/=") != std::string::npos) {
    return base::invalid_argument("expected a base64 JPEG of at most 64 KiB, or nothing")
        .with_field("thumbnail");
  }
  auto tx = CC_TRY(store_.begin());
  auto use_case = tx->use_cases().get(asset.use_case_id);
  if (!use_case.has_value() || use_case->production_id != asset.production_id) {
    return base::invalid_argument("no use case " + std::to_string(asset.use_case_id) +
                                  " on this production")
        .with_field("use_case_id");
  }
  if (use_case->state == domain::UseCaseState::kWithdrawn ||
      use_case->state == domain::UseCaseState::kRejected) {
    return base::Error(base::ErrorCode::kFailedPrecondition,
                       "use case " + std::to_string(asset.use_case_id) + " is " +
                           std::string(domain::use_case_state_name(use_case->state)) +
                           ": its outputs cannot be registered");
  }
  asset.status = domain::AssetStatus::kProvisional;
  asset.created_by = actor.user.id;
  asset.created_at = now();
  asset.id = CC_TRY(tx->assets().create(asset));
  audit::AuditEvent event{
      0,       asset.created_at,         actor.audit_name(),         "asset.registered",
      "asset", std::to_string(asset.id), asset_payload(asset).dump()};
  CC_TRY(audit_.append(*tx, std::move(event)));
  CC_TRY(tx->commit());
  return asset;
}

base::Result<domain::Asset> AssetService::get_asset(const Actor& actor, int64_t id) {
  auto tx = CC_TRY(store_.begin());
  auto asset = tx->assets().get(id);
  if (!asset.has_value() || (!actor.admin() && !actor.member_of(asset->production_id))) {
    return hidden(id);
  }
  return asset;
}

base::Result<std::vector<domain::Asset>> AssetService::list_assets(const Actor& actor,
                                                                   int64_t production_id,
                                                                   int64_t after_id, int limit) {
  if (!actor.admin() && !actor.member_of(production_id)) {
    return base::not_found("no production " + std::to_string(production_id));
  }
  auto tx = CC_TRY(store_.begin());
  return tx->assets().list(production_id, after_id, limit);
}

base::Result<std::vector<domain::Asset>> AssetService::lookup(const Actor& actor,
                                                              const Lookup& query) {
  if (!query.sha256.empty() && !is_hex(query.sha256, 64)) {
    return base::invalid_argument("expected 64 lower-case hex digits").with_field("sha256");
  }
  if (!query.pdq.empty() && !is_hex(query.pdq, 64)) {
    return base::invalid_argument("expected 64 lower-case hex digits").with_field("pdq");
  }
  if (query.radius < 0 || query.radius > 128) {
    return base::invalid_argument("expected 0 to 128").with_field("radius");
  }
  if (query.sha256.empty() && query.watermark_payload == 0 && query.pdq.empty()) {
    return base::invalid_argument("give sha256, watermark_payload or pdq");
  }
  const std::optional<match::Code> wanted = pdq_code(query.pdq);
  auto tx = CC_TRY(store_.begin());
  std::vector<std::pair<int, domain::Asset>> found;  // rank: 0 sha256, 1 watermark, 2+d pdq
  for (const domain::Production& production : CC_TRY(tx->accounts().list_productions())) {
    if (!actor.admin() && !actor.member_of(production.id)) {
      continue;
    }
    for (int64_t after = 0;;) {
      std::vector<domain::Asset> page = CC_TRY(tx->assets().list(production.id, after, 500));
      for (domain::Asset& asset : page) {
        after = asset.id;
        int rank = -1;
        if (!query.sha256.empty() && asset.sha256 == query.sha256) {
          rank = 0;
        } else if (query.watermark_payload != 0 &&
                   asset.watermark_payload == query.watermark_payload) {
          rank = 1;
        } else if (wanted) {
          int best = match::kCodeBits + 1;
          for (const std::string& hex : asset.frame_pdq) {
            if (std::optional<match::Code> code = pdq_code(hex)) {
              best = std::min(best, match::hamming_distance(*wanted, *code));
            }
          }
          if (std::optional<match::Code> code = pdq_code(asset.pdq)) {
            best = std::min(best, match::hamming_distance(*wanted, *code));
          }
          rank = best <= query.radius ? 2 + best : -1;
        }
        if (rank >= 0) {
          found.emplace_back(rank, std::move(asset));
        }
      }
      if (page.size() < 500) {
        break;
      }
    }
  }
  std::stable_sort(found.begin(), found.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<domain::Asset> out;
  for (auto& [rank, asset] : found) {
    if (out.size() == 100) {
      break;
    }
    out.push_back(std::move(asset));
  }
  return out;
}

base::Result<domain::Asset> AssetService::set_status(const Actor& actor, int64_t id,
                                                     domain::AssetStatus status,
                                                     const std::string& note) {
  auto tx = CC_TRY(store_.begin());
  auto asset = tx->assets().get(id);
  if (!asset.has_value() || (!actor.admin() && !actor.member_of(asset->production_id))) {
    return hidden(id);
  }
  if (!actor.has_role(asset->production_id, domain::Role::kLegal)) {
    return base::Error(base::ErrorCode::kPermissionDenied, "only legal clears or rejects outputs");
  }
  if (status == domain::AssetStatus::kCleared) {
    std::vector<domain::Approval> approvals =
        CC_TRY(tx->approvals().list_approvals(asset->use_case_id));
    const auto time = clock_.now();
    bool covered = false;
    for (const domain::Approval& approval : approvals) {
      covered = covered || approval_clears(approval, *asset, time);
    }
    if (!covered) {
      return base::Error(base::ErrorCode::kFailedPrecondition,
                         "no current written approval of use case " +
                             std::to_string(asset->use_case_id) +
                             " covers final use of this output");
    }
  }
  std::string from(domain::asset_status_name(asset->status));
  CC_TRY(tx->assets().set_status(id, status));
  asset->status = status;
  nlohmann::json payload = asset_payload(*asset);
  payload["from"] = from;
  if (!note.empty()) {
    payload["note"] = note;
  }
  audit::AuditEvent event{
      0, now(), actor.audit_name(), "asset.status", "asset", std::to_string(id), payload.dump()};
  CC_TRY(audit_.append(*tx, std::move(event)));
  CC_TRY(tx->commit());
  return *asset;
}

}  // namespace clearcut::clearance
