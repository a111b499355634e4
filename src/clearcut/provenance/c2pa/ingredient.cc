#include "clearcut/provenance/c2pa/ingredient.h"

namespace clearcut::c2pa {

using base::Error;
using base::Result;

namespace {

Error malformed(std::string message) {
  return base::invalid_argument(std::move(message));
}

void append_recorded(const CborValue* list, std::vector<RecordedStatus>* out) {
  if (list == nullptr || !list->is_array()) {
    return;
  }
  for (const CborValue& item : list->items()) {
    if (!item.is_map()) {
      continue;
    }
    RecordedStatus status;
    status.code = item.find_text("code").value_or("");
    status.url = item.find_text("url").value_or("");
    status.explanation = item.find_text("explanation").value_or("");
    if (!status.code.empty()) {
      out->push_back(std::move(status));
    }
  }
}

void append_status_codes(const CborValue* codes, std::vector<RecordedStatus>* out) {
  if (codes == nullptr || !codes->is_map()) {
    return;
  }
  append_recorded(codes->find("success"), out);
  append_recorded(codes->find("informational"), out);
  append_recorded(codes->find("failure"), out);
}

}  // namespace

Result<Ingredient> Ingredient::from_cbor(const CborValue& value, int version) {
  if (!value.is_map()) {
    return malformed("ingredient is not a map");
  }
  Ingredient out;
  out.version = version;
  out.title = value.find_text("dc:title");
  out.format = value.find_text("dc:format");
  out.relationship = value.find_text("relationship").value_or("componentOf");
  out.instance_id = value.find_text("instanceID");
  if (!out.instance_id) {
    out.instance_id = value.find_text("instanceId");
  }
  out.document_id = value.find_text("documentID");
  out.manifest = find_hashed_uri(value, "activeManifest");
  if (!out.manifest) {
    out.manifest = find_hashed_uri(value, "c2pa_manifest");
  }
  out.claim_signature = find_hashed_uri(value, "claimSignature");
  out.thumbnail = find_hashed_uri(value, "thumbnail");
  append_recorded(value.find("validationStatus"), &out.recorded_statuses);
  if (const CborValue* results = value.find("validationResults");
      results != nullptr && results->is_map()) {
    append_status_codes(results->find("activeManifest"), &out.recorded_statuses);
    if (const CborValue* deltas = results->find("ingredientDeltas");
        deltas != nullptr && deltas->is_array()) {
      for (const CborValue& delta : deltas->items()) {
        if (delta.is_map()) {
          append_status_codes(delta.find("validationDeltas"), &out.recorded_statuses);
        }
      }
    }
  }
  return out;
}

}  // namespace clearcut::c2pa
