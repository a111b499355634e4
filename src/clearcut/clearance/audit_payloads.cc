#include "clearcut/clearance/audit_payloads.h"

#include <nlohmann/json.hpp>

#include "clearcut/base/hex.h"
#include "clearcut/crypto/sha256.h"

namespace clearcut::clearance {

std::string tool_payload(const domain::Tool& tool) {
  nlohmann::json scalars = nlohmann::json::array();
  for (int8_t scalar : tool.scalars) {
    scalars.push_back(static_cast<int>(scalar));
  }
  return nlohmann::json({{"id", tool.id},
                         {"name", tool.name},
                         {"vendor", tool.vendor},
                         {"license_tier", tool.license_tier},
                         {"reviewed_on", tool.reviewed_on},
                         {"scalars", scalars}})
      .dump();
}

std::string frame_pdq_digest(const domain::Asset& asset) {
  crypto::Sha256 hash;
  for (size_t i = 0; i < asset.frame_pdq.size(); ++i) {
    hash.update(i == 0 ? "" : " ");
    hash.update(asset.frame_pdq[i]);
  }
  return base::to_hex(hash.finish());
}

std::string audio_fingerprint_digest(const domain::Asset& asset) {
  return base::to_hex(crypto::sha256(asset.audio_fingerprint));
}

std::string policy_pack_payload(const store::PolicyPackRecord& pack) {
  return nlohmann::json({{"name", pack.name},
                         {"version", pack.version},
                         {"digest", pack.digest},
                         {"text_sha256", base::to_hex(crypto::sha256(pack.text))},
                         {"loaded_at", pack.loaded_at}})
      .dump();
}

}  // namespace clearcut::clearance
