#include "clearcut/audit/audit_event.h"

#include <cmath>
#include <set>
#include <vector>

#include <nlohmann/json.hpp>

#include "clearcut/base/utf8.h"
#include "clearcut/domain/validation.h"

namespace clearcut::audit {
namespace {

using Json = nlohmann::json;

// Bumped if the leaf format ever changes, so old and new leaves can never be confused.
constexpr uint64_t kEncodingVersion = 1;

base::Error invalid_field(std::string field, std::string message) {
  return base::invalid_argument(std::move(message)).with_field(std::move(field));
}

// Strict JSON: parse errors, duplicate keys (which nlohmann would silently merge) and nesting
// beyond kMaxPayloadDepth are all rejected.
base::Result<Json> parse_strict_json(std::string_view text, std::string_view field) {
  std::vector<std::set<std::string>> open_objects;
  bool duplicate = false;
  bool too_deep = false;
  auto callback = [&](int depth, Json::parse_event_t event, Json& parsed) {
    if (depth > kMaxPayloadDepth) {
      too_deep = true;
    }
    switch (event) {
      case Json::parse_event_t::object_start:
        open_objects.emplace_back();
        break;
      case Json::parse_event_t::key:
        if (!open_objects.empty() &&
            !open_objects.back().insert(parsed.get_ref<const std::string&>()).second) {
          duplicate = true;
        }
        break;
      case Json::parse_event_t::object_end:
        if (!open_objects.empty()) {
          open_objects.pop_back();
        }
        break;
      default:
        break;
    }
    return true;
  };
  Json json = Json::parse(text.begin(), text.end(), callback, /*allow_exceptions=*/false);
  if (json.is_discarded()) {
    return invalid_field(std::string(field), "not valid JSON");
  }
  if (duplicate) {
    return invalid_field(std::string(field), "duplicate key in a JSON object");
  }
  if (too_deep) {
    return invalid_field(std::string(field),
                         "JSON nested deeper than " + std::to_string(kMaxPayloadDepth) + " levels");
  }
  return json;
}

// Infinity and NaN have no JSON form; nlohmann would write them as null.
bool all_numbers_finite(const Json& json) {
  if (json.is_number_float()) {
    return std::isfinite(json.get<double>());
  }
  if (json.is_structured()) {
    for (const Json& child : json) {
      if (!all_numbers_finite(child)) {
        return false;
      }
    }
  }
  return true;
}

base::Status check_text(std::string_view value, std::string_view field, bool required) {
  if (required && value.empty()) {
    return invalid_field(std::string(field), "must not be empty");
  }
  if (base::find_invalid_utf8(value).has_value()) {
    return invalid_field(std::string(field), "not valid UTF-8");
  }
  return {};
}

base::Result<Json> canonical_payload(std::string_view payload_json) {
  if (payload_json.size() > kMaxPayloadBytes) {
    return invalid_field("payload", "larger than " + std::to_string(kMaxPayloadBytes) + " bytes");
  }
  Json payload = CC_TRY(parse_strict_json(payload_json, "payload"));
  if (!payload.is_object()) {
    return invalid_field("payload", "not a JSON object");
  }
  if (!all_numbers_finite(payload)) {
    return invalid_field("payload", "a number out of range");
  }
  return payload;
}

}  // namespace

base::Result<std::string> encode_audit_event(const AuditEvent& event) {
  if (!domain::is_rfc3339_utc(event.time)) {
    return invalid_field("time", "not an RFC 3339 UTC time (YYYY-MM-DDTHH:MM:SS[.fff]Z)");
  }
  CC_TRY(check_text(event.actor, "actor", true));
  CC_TRY(check_text(event.action, "action", true));
  CC_TRY(check_text(event.subject_type, "subject_type", false));
  CC_TRY(check_text(event.subject_id, "subject_id", false));
  Json payload = CC_TRY(canonical_payload(event.payload_json));
  // nlohmann's default object is a std::map: keys come out sorted by bytes, and dump() with no
  // indent writes no whitespace, so equal events always encode to equal bytes.
  Json json = Json::object();
  json["action"] = event.action;
  json["actor"] = event.actor;
  json["payload"] = std::move(payload);
  json["sequence"] = event.sequence;
  json["subject_id"] = event.subject_id;
  json["subject_type"] = event.subject_type;
  json["time"] = event.time;
  json["v"] = kEncodingVersion;
  return json.dump();
}

base::Result<AuditEvent> decode_audit_event(std::string_view encoding) {
  Json json = CC_TRY(parse_strict_json(encoding, "event"));
  auto text_field = [&](const char* name) -> base::Result<std::string> {
    auto it = json.find(name);
    if (it == json.end() || !it->is_string()) {
      return invalid_field(name, "missing or not a string");
    }
    return it->get<std::string>();
  };
  if (!json.is_object() || json.size() != 8) {
    return base::invalid_argument("not a canonical audit event: want an object of 8 keys");
  }
  auto version = json.find("v");
  if (version == json.end() || !version->is_number_unsigned() ||
      version->get<uint64_t>() != kEncodingVersion) {
    return invalid_field("v", "unsupported audit event encoding version");
  }
  auto sequence = json.find("sequence");
  if (sequence == json.end() || !sequence->is_number_unsigned()) {
    return invalid_field("sequence", "missing or not an unsigned integer");
  }
  auto payload = json.find("payload");
  if (payload == json.end() || !payload->is_object()) {
    return invalid_field("payload", "missing or not an object");
  }
  AuditEvent event;
  event.sequence = sequence->get<uint64_t>();
  event.time = CC_TRY(text_field("time"));
  event.actor = CC_TRY(text_field("actor"));
  event.action = CC_TRY(text_field("action"));
  event.subject_type = CC_TRY(text_field("subject_type"));
  event.subject_id = CC_TRY(text_field("subject_id"));
  event.payload_json = payload->dump();
  std::string canonical = CC_TRY(encode_audit_event(event));
  if (canonical != encoding) {
    return base::invalid_argument("not the canonical encoding of an audit event");
  }
  return event;
}

base::Result<Hash> audit_event_leaf_hash(const AuditEvent& event) {
  std::string encoding = CC_TRY(encode_audit_event(event));
  return hash_leaf(encoding);
}

}  // namespace clearcut::audit
