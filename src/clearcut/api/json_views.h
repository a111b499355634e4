#pragma once

// Domain values as the API's JSON; the CLI reads, prints and sends the same forms.

#include <cstdint>

#include <nlohmann/json.hpp>

#include "clearcut/clearance/actor.h"
#include "clearcut/clearance/clearance_service.h"
#include "clearcut/domain/account.h"
#include "clearcut/domain/asset.h"
#include "clearcut/domain/attachment.h"
#include "clearcut/domain/checklist.h"
#include "clearcut/domain/scan_job.h"
#include "clearcut/domain/tool_registry.h"
#include "clearcut/domain/use_case.h"
#include "clearcut/store/store.h"

namespace clearcut::api {

nlohmann::json to_json(const domain::User& user);
nlohmann::json to_json(const domain::Production& production);
nlohmann::json to_json(const domain::UseCase& use_case, bool with_details);
nlohmann::json to_json(const domain::UseCaseEvent& event);
nlohmann::json to_json(const domain::Comment& comment);
nlohmann::json to_json(const domain::Approval& approval);
nlohmann::json to_json(const domain::Consent& consent);
nlohmann::json to_json(const domain::ChecklistItem& item);
nlohmann::json to_json(const domain::Tool& tool);
// An asset as the API shows it (docs/openapi.json, Asset), or kRequest: the body that
// registers it (AssetRequest: what the registering partner knows, empty texts as "").
enum class AssetJson : uint8_t { kResource, kRequest };
nlohmann::json to_json(const domain::Asset& asset, AssetJson form = AssetJson::kResource);
nlohmann::json to_json(const domain::Attachment& attachment);
nlohmann::json to_json(const domain::ApiToken& token);
nlohmann::json to_json(const domain::ScanJob& job);
nlohmann::json to_json(const domain::CrossProductionMatch& match);
nlohmann::json to_json(const store::PolicyPackRecord& pack);
nlohmann::json to_json(const clearance::Actor& actor);
nlohmann::json to_json(const clearance::EditPreview& preview);

}  // namespace clearcut::api
